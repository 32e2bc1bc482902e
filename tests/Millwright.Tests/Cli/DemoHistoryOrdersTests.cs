using Millwright.Cli;

namespace Millwright.Tests.Cli;

public sealed class DemoHistoryOrdersTests
{
    private static readonly DateTimeOffset From = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Two days of output: fast capabilities, and a sand printer that makes a box every two hours.</summary>
    private static DemoHistoryOrders TwoDays(out int minutes)
    {
        minutes = 2 * 24 * 60;
        var orders = new DemoHistoryOrders(From, minutes);
        for (var minute = 0; minute < minutes; minute++)
        {
            var at = From.AddMinutes(minute);
            orders.Produced(at, "5-axis-milling", 1);
            orders.Produced(at, "injection-moulding", 20);
            orders.Produced(at, "embroidery-12-needle", 2);
            orders.Produced(at, "sand-3d-printing", minute % 120 == 0 ? 1 : 0);
        }

        return orders;
    }

    [Fact]
    public void No_capability_is_asked_for_more_than_the_load_of_what_it_made_and_slow_products_are_ordered_less_often()
    {
        var orders = TwoDays(out var minutes);
        var products = DemoCatalog.Products.ToList();
        var (rates, factors) = orders.Demand(products);

        var made = new Dictionary<string, double> { ["5-axis-milling"] = minutes, ["injection-moulding"] = 20.0 * minutes, ["embroidery-12-needle"] = 2.0 * minutes, ["sand-3d-printing"] = minutes / 120 };
        foreach (var (capability, output) in made)
        {
            var asked = products.Select((p, i) => rates[i] * minutes * factors[i] * ((p.MinQuantity + p.MaxQuantity) / 2.0) * p.Steps.Count(s => s.Capability == capability)).Sum();
            Assert.InRange(asked, 0, (DemoHistoryOrders.Load * output) + 1e-6);
        }

        // One order every 4 minutes shared evenly, except by the sand products, which get what the printer can take.
        var even = 1 / DemoHistoryOrders.MeanArrival.TotalMinutes / products.Count;
        Assert.All(products.Select((p, i) => (p, i)).Where(x => !x.p.Steps.Any(s => s.Capability == "sand-3d-printing")), x => Assert.Equal(even, rates[x.i], 12));
        Assert.All(products.Select((p, i) => (p, i)).Where(x => x.p.Steps.Any(s => s.Capability == "sand-3d-printing")), x =>
        {
            Assert.InRange(rates[x.i], 1e-9, even / 10);
            Assert.Equal(1, factors[x.i]);
        });
        Assert.All(factors, f => Assert.True(f >= 1));
    }

    [Fact]
    public void Orders_for_the_slow_sand_printer_do_not_wait_for_days()
    {
        var orders = TwoDays(out _).Simulate(seed: 3);
        var sand = orders.Where(o => o.Product.Steps.Any(s => s.Capability == "sand-3d-printing")).ToList();
        Assert.NotEmpty(sand);
        Assert.All(sand, o => Assert.True(o.Completed!.Value - o.Created < TimeSpan.FromHours(24), $"{o.Number} took {o.Completed - o.Created}"));
        Assert.True(orders.Count > 400, $"{orders.Count} orders");
    }
}
