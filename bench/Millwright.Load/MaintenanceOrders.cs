using Millwright.Cli;

namespace Millwright.Bench;

/// <summary>One customer order of the maintenance bench: when it arrives, what and how much, by when, how urgent.</summary>
internal sealed record BenchOrder(int Number, DateTimeOffset Arrival, DemoProduct Product, int Quantity, DateTimeOffset Due, int Priority);

/// <summary>
/// The orders the maintenance bench's factory receives, drawn from the seed alone so every policy gets the same
/// stream. Products are the demo's (<see cref="DemoCatalog"/>) that the bench's machines make: the milled bracket,
/// the moulded housing, the printed core and the pump housing (printed, then milled). Orders arrive during shifts as
/// a Poisson process; each step of an order is 2-6 h of work at the routing's unit time (mean 4 h), and the products
/// are mixed so that each capability gets the same work per order. The arrival rate asks <see cref="Load"/> of the
/// nominal capacity (4 machines per capability, every shift hour), so a fleet that loses about a tenth of its time
/// to breakdowns is loaded but keeps up. Each order is due 16-48 working hours after it arrives (one to three
/// working days), priority 10-100.
/// </summary>
internal static class MaintenanceOrders
{
    public const double Load = 0.8;
    public const int MachinesPerCapability = 4;

    /// <summary>The products made here, with how often each is ordered (chosen so the three capabilities get equal work).</summary>
    public static readonly IReadOnlyList<(DemoProduct Product, double Share)> Mix =
    [
        (Product("BRK-5AX"), 0.28), (Product("HSG-PA66"), 0.34), (Product("CORE-SP"), 0.18), (Product("PUMP-HSG"), 0.20),
    ];

    private static readonly TimeSpan MeanStepWork = TimeSpan.FromHours(4);

    /// <summary>Orders per shift hour that ask <see cref="Load"/> of the busiest capability's nominal capacity.</summary>
    public static double ArrivalsPerHour
    {
        get
        {
            var perCapability = Mix.SelectMany(m => StepHours(m.Product).Select(s => (s.Capability, Hours: s.Hours * m.Share)))
                .GroupBy(s => s.Capability).Max(g => g.Sum(s => s.Hours));
            return Load * MachinesPerCapability / perCapability;
        }
    }

    /// <summary>The orders arriving in <paramref name="days"/> plant days from <paramref name="start"/>; the same seed gives the same orders.</summary>
    public static List<BenchOrder> Draw(int seed, DateTimeOffset start, int days)
    {
        var random = new Random(unchecked((seed * 7_919) + 13));
        var perMinute = ArrivalsPerHour / 60;
        var orders = new List<BenchOrder>();
        var end = start.AddDays(days);
        for (var at = start; at < end; at = at.AddMinutes(1))
        {
            if (!MaintenancePlant.Working(at) || random.NextDouble() >= perMinute)
            {
                continue;
            }

            var product = Pick(random.NextDouble());
            // The first step's work sets the quantity: 2-6 h at its unit time.
            var firstUnit = product.Steps[0].UnitSeconds;
            var quantity = Math.Max(1, (int)Math.Round(random.Next(120, 361) * 60 / firstUnit / (product.Steps.Count == 1 ? 1 : ScaleOfSteps(product))));
            var workingHours = random.Next(16, 49);
            var due = DateTimeOffset.FromUnixTimeMilliseconds(MaintenancePlant.WorkingFrom(at.ToUnixTimeMilliseconds(), TimeSpan.FromDays(14))
                .EndOf((long)TimeSpan.FromHours(workingHours).TotalMilliseconds));
            orders.Add(new BenchOrder(orders.Count + 1, at, product, quantity, due, random.Next(1, 11) * 10));
        }

        return orders;
    }

    /// <summary>Hours of work each step of an order of mean size takes.</summary>
    private static IEnumerable<(string Capability, double Hours)> StepHours(DemoProduct product)
    {
        var quantity = MeanStepWork.TotalSeconds / product.Steps[0].UnitSeconds / (product.Steps.Count == 1 ? 1 : ScaleOfSteps(product));
        return product.Steps.Select(s => (s.Capability, quantity * s.UnitSeconds / 3600));
    }

    /// <summary>A multi-step product's quantity is cut so that all its steps together take what one step of another product does.</summary>
    private static double ScaleOfSteps(DemoProduct product) => product.Steps.Sum(s => s.UnitSeconds) / product.Steps[0].UnitSeconds;

    private static DemoProduct Pick(double draw)
    {
        foreach (var (product, share) in Mix)
        {
            if ((draw -= share) < 0)
            {
                return product;
            }
        }

        return Mix[^1].Product;
    }

    private static DemoProduct Product(string sku) => DemoCatalog.Products.Single(p => p.Sku == sku);
}
