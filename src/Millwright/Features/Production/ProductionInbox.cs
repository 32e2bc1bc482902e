using System.Collections.Concurrent;
using System.Threading.Channels;
using Millwright.Features.States;

namespace Millwright.Features.Production;

/// <summary>
/// Where the API, the MQTT gate and the state tracker leave work for the <see cref="ProductionPlanner"/>,
/// without waiting for it. Events are few (orders, answers, state changes) and queue unbounded; production
/// counts can be many (every telemetry message of every counting machine), so only those of machines holding a
/// job are kept, summed per machine until the planner takes them.
/// </summary>
internal sealed class ProductionInbox : IProductionListener
{
    private readonly Channel<ProductionEvent> _events = Channel.CreateUnbounded<ProductionEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<(long Tenant, long Machine), (double Parts, double Scrap, long At)> _counted = new();

    /// <summary>Machines holding a job, and the job; kept by the planner.</summary>
    public ConcurrentDictionary<(long Tenant, long Machine), long> Holding { get; } = new();

    public ChannelReader<ProductionEvent> Events => _events.Reader;

    public void Post(ProductionEvent e) => _events.Writer.TryWrite(e);

    public void StateChanged(long tenantId, CurrentState current) => Post(new StateObserved(tenantId, current));

    public void Counted(long tenantId, long machineId, double parts, double scrap, long at)
    {
        if (Holding.ContainsKey((tenantId, machineId)))
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
}
