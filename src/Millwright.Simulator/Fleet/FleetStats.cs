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

    public long Reports => Interlocked.Read(ref _reports);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Machines born (DBIRTH) in the gateways' current sessions.</summary>
    public long Births => Interlocked.Read(ref _births);

    public long Rebirths => Interlocked.Read(ref _rebirths);

    public int Connected => Volatile.Read(ref _connected);

    public string? LastError { get; set; }

    /// <summary>Publish → PUBACK of each report; the platform acknowledges a QoS 1 DDATA once its values are stored.</summary>
    public LatencyHistogram Stored { get; } = new();

    public void Reported() => Interlocked.Increment(ref _reports);

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
