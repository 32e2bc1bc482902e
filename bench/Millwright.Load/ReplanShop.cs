using Millwright.Features.Production;

namespace Millwright.Bench;

/// <summary>
/// The shop of <c>bench replan</c>, in memory: machines with one of four capabilities, ten products of four operations,
/// and orders that arrive over the day. Jobs run at their machine's own pace (±20 % of the routing), machines break
/// down at random and are repaired after a random time, all from one seed, so both runs of the bench see the same world.
/// </summary>
internal sealed class ReplanShop
{
    public const long Minute = 60_000;
    private const int Capabilities = 4;
    private readonly Random _random;
    private readonly List<(string Capability, long UnitMs, long SetupMs, string Program)[]> _products = [];
    private long _nextJob = 1;

    public ReplanShop(int machines, int seed)
    {
        _random = new Random(seed);
        for (var m = 0; m < machines; m++)
        {
            Machines.Add(new PlanMachine(m + 1, $"cell{m:D3}", 1, new HashSet<string> { $"cap-{m % Capabilities}" }, true));
            Speed.Add(0.8 + (0.4 * _random.NextDouble()));
        }

        for (var p = 0; p < 10; p++)
        {
            _products.Add([.. Enumerable.Range(0, Capabilities).OrderBy(_ => _random.Next()).Select((c, k) =>
                ($"cap-{c}", _random.Next(20, 121) * 1000L, _random.Next(5, 21) * Minute, $"PRG{p}{k}"))]);
        }
    }

    public List<PlanMachine> Machines { get; } = [];

    /// <summary>Each machine's pace: the time a unit really takes there is the routing's times this.</summary>
    public List<double> Speed { get; } = [];

    public List<PlanOrder> Orders { get; } = [];

    public Random Random => _random;

    /// <summary>An order for a random product, 10-60 units, due 2-12 hours out, priority 1-100.</summary>
    public void AddOrder(long now)
    {
        var id = Orders.Count + 1;
        var product = _products[_random.Next(_products.Count)];
        var quantity = _random.Next(10, 61);
        var order = new OrderRow
        {
            Id = id, Number = $"B-{id:D4}", SiteId = 1, Quantity = quantity, DueAt = now + (_random.Next(120, 721) * Minute),
            Priority = _random.Next(1, 101), Status = OrderStatus.Released,
        };
        var jobs = product.Select((op, k) => new JobRow
        {
            Id = _nextJob++, OrderId = id, OrderNumber = order.Number, Seq = k, Operation = $"step {k + 1}", Capability = op.Capability,
            Program = op.Program, UnitMs = op.UnitMs, SetupMs = op.SetupMs, Quantity = quantity, Status = JobStatus.Waiting,
        }).ToList();
        Orders.Add(new PlanOrder(order, jobs));
    }
}
