using System.Collections.Concurrent;
using System.Threading.Channels;
using Millwright.Features.States;
using Millwright.Features.Tenants;

namespace Millwright.Features.Production;

/// <summary>
/// Where the API, the machine-command port and the state tracker leave work for the <see cref="ProductionPlanner"/>,
/// without waiting for it. Events are few (orders, answers, state changes) and queue unbounded; production
/// counts can be many (every telemetry message of every counting machine), so only those of machines holding a
/// job are kept, summed per machine until the planner takes them. In a cluster, events and counts of a tenant
/// another node leads go to it through the relay (<see cref="IProductionRelay"/>): one planner per tenant.
/// </summary>
internal sealed class ProductionInbox(ITenantLeadership leadership, IProductionRelay? relay = null) : IProductionListener
{
    private readonly Channel<ProductionEvent> _events = Channel.CreateUnbounded<ProductionEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<(long Tenant, long Machine), (double Parts, double Scrap, long At)> _counted = new();

    // Which machine holds which job. Written only by the planner's loop (Hold, Release, HoldOnly); read by it and
    // by the telemetry pipeline's thread (Counted), which is why it is a concurrent dictionary.
    private readonly ConcurrentDictionary<(long Tenant, long Machine), long> _holding = new();

    public ChannelReader<ProductionEvent> Events => _events.Reader;

    public void Post(ProductionEvent e)
    {
        if (relay is not null && !leadership.Leads(e.TenantId))
        {
            relay.Relay(e);
            return;
        }

        _events.Writer.TryWrite(e);
    }

    public void StateChanged(long tenantId, CurrentState current) => Post(new StateObserved(tenantId, current));

    public void Counted(long tenantId, long machineId, double parts, double scrap, long at)
    {
        if (relay is not null && !leadership.Leads(tenantId))
        {
            // Only the leader knows which machines hold jobs: every count goes to it, summed by the relay.
            relay.RelayCount(tenantId, machineId, parts, scrap, at);
            return;
        }

        if (_holding.ContainsKey((tenantId, machineId)))
        {
            _counted.AddOrUpdate((tenantId, machineId), (parts, scrap, at), (_, sum) => (sum.Parts + parts, sum.Scrap + scrap, Math.Max(sum.At, at)));
        }
    }

    /// <summary>Takes every count summed so far.</summary>
    public List<(long Tenant, long Machine, double Parts, double Scrap, long At)> TakeCounts()
    {
        var taken = new List<(long, long, double, double, long)>();
        foreach (var key in _counted.Keys)
        {
            if (_counted.TryRemove(key, out var sum))
            {
                taken.Add((key.Tenant, key.Machine, sum.Parts, sum.Scrap, sum.At));
            }
        }

        return taken;
    }

    /// <summary>The machine now holds the job: its part counts are kept for the planner. Planner's loop only.</summary>
    public void Hold(long tenantId, long machineId, long jobId) => _holding[(tenantId, machineId)] = jobId;

    /// <summary>The machine no longer holds the job; nothing changes if it holds another by now. Planner's loop only.</summary>
    public void Release(long tenantId, long machineId, long jobId) => _holding.TryRemove(KeyValuePair.Create((tenantId, machineId), jobId));

    /// <summary>Replaces what machines hold with the store's view, as after a restart. Planner's loop only.</summary>
    public void HoldOnly(IEnumerable<(long TenantId, long MachineId, long JobId)> held)
    {
        _holding.Clear();
        foreach (var (tenant, machine, job) in held)
        {
            _holding[(tenant, machine)] = job;
        }
    }

    /// <summary>
    /// This node no longer leads the tenant: forgets what its machines hold, and passes the counts not yet taken on
    /// (through the relay, to the new leader). Planner's loop only.
    /// </summary>
    public void Forget(long tenantId)
    {
        foreach (var key in _holding.Keys.Where(k => k.Tenant == tenantId))
        {
            _holding.TryRemove(key, out _);
        }

        foreach (var key in _counted.Keys.Where(k => k.Tenant == tenantId))
        {
            if (_counted.TryRemove(key, out var sum))
            {
                Counted(key.Tenant, key.Machine, sum.Parts, sum.Scrap, sum.At);
            }
        }
    }

    /// <summary>The job the machine holds, if any.</summary>
    public bool TryGetHeld(long tenantId, long machineId, out long jobId) => _holding.TryGetValue((tenantId, machineId), out jobId);

    /// <summary>Tenants where some machine holds a job.</summary>
    public IReadOnlyList<long> TenantsHolding() => _holding.Keys.Select(k => k.Tenant).Distinct().ToList();
}
