using System.Collections.Concurrent;
using System.Diagnostics;

namespace Millwright.Simulator.Fleet;

/// <summary>What the fleet's gateways have done so far, shared by all of them.</summary>
internal sealed class FleetStats
{
    private long _reports;
    private long _acknowledged;
    private long _refused;
    private long _births;
    private long _rebirths;
    private int _connected;

    // When a report last went out more than LateAfter after its time (a full window held it back); the start counts.
    private long _lastLate = Stopwatch.GetTimestamp();

    // Gateways whose next report waits for a free slot (a full window of unacknowledged ones), since when.
    private readonly ConcurrentDictionary<string, long> _waiting = new(StringComparer.Ordinal);

    /// <summary>A report sent later than this after its time is late: its gateway is behind its schedule.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromSeconds(1);

    public long Reports => Interlocked.Read(ref _reports);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Machines born (DBIRTH) in the gateways' current sessions.</summary>
    public long Births => Interlocked.Read(ref _births);

    public long Rebirths => Interlocked.Read(ref _rebirths);

    public int Connected => Volatile.Read(ref _connected);

    public string? LastError { get; set; }

    /// <summary>
    /// How long every gateway has sent each report on time (since the last late one, or the start); zero while a
    /// gateway's report has waited longer than <see cref="LateAfter"/> for room (it will be late, and nothing is
    /// sent meanwhile to say so).
    /// </summary>
    public TimeSpan OnScheduleFor => _waiting.Values.Any(since => Stopwatch.GetElapsedTime(since) > LateAfter)
        ? TimeSpan.Zero
        : Stopwatch.GetElapsedTime(Volatile.Read(ref _lastLate));

    /// <summary>The gateway's next report waits for room in its window.</summary>
    public void Waiting(string gateway) => _waiting[gateway] = Stopwatch.GetTimestamp();

    /// <summary>It has room again.</summary>
    public void Waited(string gateway) => _waiting.TryRemove(gateway, out _);

    /// <summary>Publish → PUBACK of each report; the platform acknowledges a QoS 1 DDATA once its values are stored.</summary>
    public LatencyHistogram Stored { get; } = new();

    /// <summary>A report went out <paramref name="late"/> after its time.</summary>
    public void Reported(TimeSpan late)
    {
        Interlocked.Increment(ref _reports);
        if (late > LateAfter)
        {
            Volatile.Write(ref _lastLate, Stopwatch.GetTimestamp());
        }
    }

    public void Acknowledge(bool stored, TimeSpan latency)
    {
        if (stored)
        {
            Interlocked.Increment(ref _acknowledged);
            Stored.Record(latency);
        }
        else
        {
            Interlocked.Increment(ref _refused);
        }
    }

    public void Born(int machines) => Interlocked.Add(ref _births, machines);

    public void Reborn() => Interlocked.Increment(ref _rebirths);

    public void ConnectionUp() => Interlocked.Increment(ref _connected);

    public void ConnectionDown(int machines)
    {
        Interlocked.Decrement(ref _connected);
        Interlocked.Add(ref _births, -machines);
    }
}
