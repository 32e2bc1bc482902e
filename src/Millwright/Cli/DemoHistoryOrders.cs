using System.Globalization;
using Millwright.Api;
using Millwright.Features.Inventory;
using Millwright.Features.Production;
using Millwright.Security;

namespace Millwright.Cli;

/// <summary>
/// The customers of the demo's history. While the history runs, it is told how many good units each capability's
/// machines made in every minute; afterwards it draws the orders customers placed over the span and fills them from
/// that output, so each order's lead time and lateness come out of the simulated factory (its breakdowns before and
/// after the policy change), not out of a script.
/// </summary>
/// <remarks>
/// Demand model (docs/simulator.md "History"): orders arrive as a Poisson process; each asks for a product of
/// <see cref="DemoCatalog"/>, each product as often as the others unless its machines cannot keep up, in a batch of
/// the catalog's quantity times the product's factor, so that no capability is asked for more than <see cref="Load"/>
/// of what its machines made over the whole span (see <see cref="Demand"/>). Output goes to the open order due first that
/// waits at that capability; output nobody waits for is made to stock and not counted. An order's next step can use
/// output from the minute after its previous step ended. Orders still open when the span ends are left out
/// (they would have no jobs for the live planner).
/// </remarks>
internal sealed class DemoHistoryOrders(DateTimeOffset from, int minutes)
{
    public const double Load = 0.85;

    public static readonly TimeSpan MeanArrival = TimeSpan.FromMinutes(4);

    private static readonly string[] Customers = ["Kessler Pumpen", "Lyon Outdoor", "Nordic Foundry", "Bauer Automotive", "Webshop (C2M)"];

    private readonly Dictionary<string, long[]> _output = new(StringComparer.Ordinal);

    /// <summary>Good units the capability's machines made in the minute starting at <paramref name="at"/>.</summary>
    public void Produced(DateTimeOffset at, string capability, long good)
    {
        var minute = (int)((at - from).Ticks / TimeSpan.TicksPerMinute);
        if (good <= 0 || minute < 0 || minute >= minutes)
        {
            return;
        }

        if (!_output.TryGetValue(capability, out var counts))
        {
            _output[capability] = counts = new long[minutes];
        }

        counts[minute] += good;
    }

    /// <summary>Draws the span's orders (same seed, same orders) and fills them from the recorded output; returns the completed ones.</summary>
    public IReadOnlyList<HistoryOrder> Simulate(int seed)
    {
        var random = new Random(seed);
        var products = DemoCatalog.Products.Where(p => p.Steps.All(s => _output.ContainsKey(s.Capability))).ToList();
        if (products.Count == 0)
        {
            return [];
        }

        var (rates, factors) = Demand(products);
        var perMinute = 1 / rates.Sum();
        var open = new List<HistoryOrder>();
        var done = new List<HistoryOrder>();
        double NextGap() => -Math.Log(1 - random.NextDouble()) * perMinute;
        var arrival = NextGap();
        var number = 0;
        for (var minute = 0; minute < minutes; minute++)
        {
            for (; arrival < minute + 1; arrival += NextGap())
            {
                var pick = Pick(rates, random.NextDouble() / perMinute);
                var product = products[pick];
                var quantity = Math.Max(1, (long)Math.Round(random.Next(product.MinQuantity, product.MaxQuantity + 1) * factors[pick]));
                var created = from.AddMinutes(arrival);
                var due = created.AddMinutes(random.Next(30, 181));
                open.Add(new HistoryOrder(string.Create(CultureInfo.InvariantCulture, $"H-{++number:00000}"), Customers[random.Next(Customers.Length)],
                    product, quantity, created, due) { ReadyFrom = minute + 1 });
            }

            // Output of this minute goes to the orders due first that wait at its capability.
            foreach (var (capability, counts) in _output)
            {
                var units = counts[minute];
                foreach (var order in open.Where(o => o.ReadyFrom <= minute && o.Step.Capability == capability).OrderBy(o => o.Due).ThenBy(o => o.Number, StringComparer.Ordinal))
                {
                    if (units == 0)
                    {
                        break;
                    }

                    var taken = Math.Min(units, order.Quantity - order.Made);
                    units -= taken;
                    order.Made += taken;
                    if (order.Made == order.Quantity)
                    {
                        order.StepEnded(from.AddMinutes(minute + 1), minute + 1);
                    }
                }
            }

            done.AddRange(open.Where(o => o.Completed is not null));
            open.RemoveAll(o => o.Completed is not null);
        }

        return done;
    }

    /// <summary>
    /// How often each product is ordered (orders a minute) and the factor on its catalog batch. Each capability's
    /// output over the span is shared equally by the products that use it, and a product may ask for <see cref="Load"/>
    /// of its share at its tightest capability. Every product is ordered equally often, one order every
    /// <see cref="MeanArrival"/> in all, with its batch scaled up (factor at least 1) to use its share; a product that
    /// cannot take even that many orders of its catalog batch (a sand printer makes a few boxes a day) is ordered less
    /// often instead of piling up orders that nobody can fill.
    /// </summary>
    internal (double[] Rates, double[] Factors) Demand(List<DemoProduct> products)
    {
        var users = _output.Keys.ToDictionary(c => c, c => products.Count(p => p.Steps.Any(s => s.Capability == c)), StringComparer.Ordinal);
        var even = 1 / MeanArrival.TotalMinutes / products.Count;
        var rates = new double[products.Count];
        var factors = new double[products.Count];
        for (var i = 0; i < products.Count; i++)
        {
            var p = products[i];
            var batch = (p.MinQuantity + p.MaxQuantity) / 2.0;
            var sustainable = p.Steps.GroupBy(s => s.Capability).Min(g => Load * _output[g.Key].Sum() / minutes / users[g.Key] / (batch * g.Count()));
            (rates[i], factors[i]) = sustainable >= even ? (even, sustainable / even) : (sustainable, 1);
        }

        return (rates, factors);
    }

    private static int Pick(double[] weights, double at)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            at -= weights[i];
            if (at < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>
    /// Writes the completed orders at their own times through production's store (created, released, in progress,
    /// completed), and the materials they used as hourly issues, with a lot received whenever stock runs low.
    /// </summary>
    public static async Task WriteAsync(Sessions sessions, long tenant, DemoSeed shop, IReadOnlyList<HistoryOrder> orders, CancellationToken ct)
    {
        var clock = new SteppedClock(DateTimeOffset.UnixEpoch);
        await sessions.WithClock(clock).RunAsync(Caller.CommandLine(tenant), async s =>
        {
            foreach (var order in orders)
            {
                clock.Set(order.Created);
                var id = await ProductionStore.InsertOrderAsync(s, order.Number, order.Customer, shop.ItemIds[order.Product.Sku], shop.SiteId, order.Quantity,
                    order.Due.ToUnixTimeMilliseconds(), 50, null, $"order number '{order.Number}' exists already");
                await ProductionStore.ReleaseOrderAsync(s, id);
                await ProductionStore.StartOrderAsync(s, id);
                clock.Set(order.Completed!.Value);
                await ProductionStore.CompleteOrderAsync(s, id, order.Quantity);
            }

            await WriteMaterialsAsync(s, clock, shop, orders);
            return true;
        }, ct);
    }

    private static async Task WriteMaterialsAsync(Session s, SteppedClock clock, DemoSeed shop, IReadOnlyList<HistoryOrder> orders)
    {
        // One issue per material and hour, stamped when the hour's last step using it ended (never after now).
        var used = new SortedDictionary<(DateTimeOffset Hour, string Sku), (double Quantity, DateTimeOffset At)>();
        foreach (var order in orders)
        {
            for (var i = 0; i < order.Product.Steps.Count; i++)
            {
                if (order.Product.Steps[i].Material is { } sku)
                {
                    var ended = order.StepEnds[i];
                    var hour = new DateTimeOffset(ended.UtcTicks - (ended.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
                    var (quantity, at) = used.GetValueOrDefault((hour, sku));
                    used[(hour, sku)] = (quantity + (order.Quantity * order.Product.Steps[i].PerUnit), ended > at ? ended : at);
                }
            }
        }

        if (used.Count == 0)
        {
            return;
        }

        // A supplier lot covers about a week of what the span used (at least the catalog's lot): batches are sized to
        // the factory's output, so a fixed catalog lot would be reordered every few hours.
        var days = Math.Max(1.0, (used.Keys.Max(k => k.Hour) - used.Keys.Min(k => k.Hour)).TotalDays);
        var lots = used.GroupBy(u => u.Key.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => Math.Max(DemoCatalog.Materials.First(m => m.Sku == g.Key).Lot, Math.Ceiling(g.Sum(u => u.Value.Quantity) / days * 7)), StringComparer.Ordinal);
        var stock = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var ((_, sku), (total, at)) in used)
        {
            var lot = lots[sku];
            var quantity = Math.Round(total, 3);
            var held = stock.TryGetValue(sku, out var known) ? known : await StockAsync(s, shop, sku);
            var receipt = 0.0;
            while (held + receipt < quantity + (lot / 4))
            {
                receipt += lot;
            }

            clock.Set(at);
            if (receipt > 0)
            {
                await InventoryMovements.CreateAsync(s, new MovementInput(shop.ItemIds[sku], shop.SiteId, "receipt", receipt, at, "demo history: supplier lot"));
            }

            await InventoryMovements.CreateAsync(s, new MovementInput(shop.ItemIds[sku], shop.SiteId, "issue", quantity, at, "demo history: used by the hour's orders"));
            stock[sku] = held + receipt - quantity;
        }
    }

    private static Task<double> StockAsync(Session s, DemoSeed shop, string sku) =>
        s.ScalarAsync<double>(
            "SELECT COALESCE(SUM(CASE WHEN kind = 'receipt' THEN quantity ELSE -quantity END), 0) FROM inventory_movements WHERE tenant_id = @Tenant AND item_id = @item AND site_id = @site",
            new { s.Tenant, item = shop.ItemIds[sku], site = shop.SiteId });
}
