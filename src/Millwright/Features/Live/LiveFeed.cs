using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.Live;

/// <summary>
/// Fans twin changes out to live connections. As a post-commit observer it runs right after the twin and
/// <see cref="Publish"/>es each committed message; that costs one dictionary lookup for an unwatched machine and, per
/// watching connection, a short lock to merge the values into its <see cref="PendingChanges"/>. It never
/// waits for a socket. The index is keyed by (tenant, machine), so a connection can only ever be offered
/// its own tenant's machines. Connections that watch the fleet's positions are indexed by tenant: each of the
/// tenant's messages offers them its latitude and longitude (one more lookup per message when nobody watches).
/// </summary>
internal sealed class LiveFeed : ITelemetryObserver
{
    public const string MeterName = "Millwright.Live";

    private readonly LiveOptions _options;
    private readonly Lock _lock = new();

    // Copy-on-write arrays: Publish reads without locking; subscription changes (rare) replace them under _lock.
    private readonly ConcurrentDictionary<(long Tenant, long Machine), LiveSubscriber[]> _index = new();
    private readonly ConcurrentDictionary<long, LiveSubscriber[]> _positionWatchers = new();
    private readonly Dictionary<long, int> _connections = [];
    private int _open;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _changes;
    private readonly Counter<long> _resyncs;
    private readonly Histogram<double> _lag;

    public LiveFeed(LiveOptions options, IMeterFactory meters)
    {
        _options = options;
        var meter = meters.Create(MeterName);
        _coalesced = meter.CreateCounter<long>("millwright.live.coalesced", description: "Tag values superseded by a newer value before a slow connection took them");
        _changes = meter.CreateCounter<long>("millwright.live.changes", description: "Change messages sent to live connections");
        _resyncs = meter.CreateCounter<long>("millwright.live.resyncs", description: "Connections so far behind that their waiting values were replaced by a snapshot");
        _lag = meter.CreateHistogram<double>("millwright.live.lag", unit: "ms",
            description: "From the publish that gave a connection something to send until the socket took the last of it");
        meter.CreateObservableGauge("millwright.live.connections", () => Volatile.Read(ref _open), description: "Open live connections");
    }

    public int Order => 100;

    public ValueTask OnCommittedAsync(IReadOnlyList<DeviceMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var message in batch)
        {
            Publish(message);
        }

        return ValueTask.CompletedTask;
    }

    public void Publish(DeviceMessage message)
    {
        if (_positionWatchers.TryGetValue(message.TenantId, out var watchers))
        {
            foreach (var watcher in watchers)
            {
                watcher.OfferPosition(message);
            }
        }

        if (!_index.TryGetValue((message.TenantId, message.MachineId), out var subscribers))
        {
            return;
        }

        var coalesced = 0;
        foreach (var subscriber in subscribers)
        {
            coalesced += subscriber.Offer(message);
        }

        if (coalesced > 0)
        {
            _coalesced.Add(coalesced);
        }
    }

    /// <summary>
    /// A machine's state change or alarm transition for the connections watching the machine, and with
    /// <paramref name="toPositionWatchers"/> (states: the fleet map's colours) for those watching the tenant's
    /// positions; a newer event of the same key replaces one still waiting, so a connection that is both gets it once.
    /// </summary>
    public void PublishEvent(long tenantId, long machineId, string key, byte[] json, bool toPositionWatchers = false)
    {
        if (toPositionWatchers && _positionWatchers.TryGetValue(tenantId, out var watchers))
        {
            foreach (var watcher in watchers)
            {
                watcher.OfferEvent(key, json);
            }
        }

        if (!_index.TryGetValue((tenantId, machineId), out var subscribers))
        {
            return;
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.OfferEvent(key, json);
        }
    }

    /// <summary>Starts or stops offering the tenant's fleet positions (and state changes) to the subscriber.</summary>
    public void WatchPositions(LiveSubscriber subscriber, bool watch)
    {
        lock (_lock)
        {
            if (subscriber.WatchesPositions == watch)
            {
                return;
            }

            subscriber.WatchesPositions = watch;
            var current = _positionWatchers.GetValueOrDefault(subscriber.TenantId) ?? [];
            LiveSubscriber[] next = watch ? [.. current, subscriber] : [.. current.Where(s => s != subscriber)];
            if (next.Length == 0)
            {
                _positionWatchers.TryRemove(subscriber.TenantId, out _);
            }
            else
            {
                _positionWatchers[subscriber.TenantId] = next;
            }
        }

        if (!watch)
        {
            subscriber.Positions.Clear();
        }
    }

    /// <summary>A new subscriber for the tenant, or null when the tenant holds its maximum of connections.</summary>
    public LiveSubscriber? TryOpen(long tenantId)
    {
        lock (_lock)
        {
            var open = _connections.GetValueOrDefault(tenantId);
            if (open >= _options.MaxConnectionsPerTenant)
            {
                return null;
            }

            _connections[tenantId] = open + 1;
            _open++;
            return new LiveSubscriber(tenantId, _options.MaxPendingValues);
        }
    }

    public void Close(LiveSubscriber subscriber)
    {
        WatchPositions(subscriber, false);
        lock (_lock)
        {
            foreach (var machine in subscriber.Covered)
            {
                Unindex(subscriber, machine);
            }

            subscriber.Covered.Clear();
            var open = _connections[subscriber.TenantId] - 1;
            if (open == 0)
            {
                _connections.Remove(subscriber.TenantId);
            }
            else
            {
                _connections[subscriber.TenantId] = open;
            }

            _open--;
        }
    }

    /// <summary>Makes <paramref name="machines"/> the subscriber's coverage; returns the machines it gained and lost.</summary>
    public (HashSet<long> Added, HashSet<long> Removed) Cover(LiveSubscriber subscriber, IReadOnlySet<long> machines)
    {
        lock (_lock)
        {
            var added = machines.Where(m => !subscriber.Covered.Contains(m)).ToHashSet();
            var removed = subscriber.Covered.Where(m => !machines.Contains(m)).ToHashSet();
            foreach (var machine in added)
            {
                _index.AddOrUpdate((subscriber.TenantId, machine), [subscriber], (_, current) => [.. current, subscriber]);
                subscriber.Covered.Add(machine);
            }

            foreach (var machine in removed)
            {
                Unindex(subscriber, machine);
                subscriber.Covered.Remove(machine);
            }

            return (added, removed);
        }
    }

    /// <summary>A copy of the machines the subscriber covers now.</summary>
    public HashSet<long> CoveredBy(LiveSubscriber subscriber)
    {
        lock (_lock)
        {
            return [.. subscriber.Covered];
        }
    }

    public void RecordSent(int changeMessages, long pendingSince)
    {
        _changes.Add(changeMessages);
        _lag.Record(Stopwatch.GetElapsedTime(pendingSince).TotalMilliseconds);
    }

    public void RecordResync() => _resyncs.Add(1);

    private void Unindex(LiveSubscriber subscriber, long machine)
    {
        var key = (subscriber.TenantId, machine);
        if (!_index.TryGetValue(key, out var current))
        {
            return;
        }

        var remaining = current.Where(s => s != subscriber).ToArray();
        if (remaining.Length == 0)
        {
            _index.TryRemove(key, out _);
        }
        else
        {
            _index[key] = remaining;
        }
    }
}
