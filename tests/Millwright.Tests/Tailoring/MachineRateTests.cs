using System.Net;
using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Features.Tailoring;
using Millwright.Security;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Tailoring;

/// <summary>
/// Per-machine cutting and sewing rates (docs/made-to-measure.md, "Plan timing"): the planner times a made-to-measure
/// order's cutting and sewing jobs on each candidate machine at the rates that machine states among its capabilities,
/// the documented defaults where it states none; finishing and standard orders are not timed here.
/// </summary>
public abstract class MachineRateTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Cutting_and_sewing_jobs_are_timed_on_each_machine_at_the_rates_its_capabilities_state()
    {
        using var t = await Host.CreateTenantAsync("rates");
        var plant = await Plant.CreateAsync(t);
        await MadeToMeasureApiTests.RouteAsync(t, plant);
        var fast = (await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = $"{plant.Marker}-fast-cell" }, HttpStatusCode.Created)).Id();
        await t.Admin.PutJsonAsync($"/api/v1/machines/{fast}/capabilities", new
        {
            capabilities = new[] { "cutting", "cutting-speed-500", "sewing", "sewing-speed-80", "sewing-handling-10", "finishing" },
        }, HttpStatusCode.OK);
        var placed = await t.Operator.PostJsonAsync("/api/v1/c2m/orders", new
        {
            sex = "male", measurements = TestBodies.Man(), garment = "trousers", customer = "R. Rate", itemId = plant.ItemId, siteId = plant.SiteId, dueAt = DateTimeOffset.UtcNow.AddDays(1),
        }, HttpStatusCode.Created);
        var standard = await t.Operator.PostJsonAsync("/api/v1/orders", new { customer = "Stock", itemId = plant.ItemId, siteId = plant.SiteId, quantity = 1, dueAt = DateTimeOffset.UtcNow.AddDays(1) },
            HttpStatusCode.Created);
        var mtm = placed["madeToMeasure"]!;
        var (cut, seams, pieces) = (mtm["cutLengthMm"]!.GetValue<double>(), mtm["seamLengthMm"]!.GetValue<double>(), mtm["pieces"]!.GetValue<int>());

        var times = await new Sessions(Host.Database, TimeProvider.System).RunAsync(Caller.CommandLine(t.Id), async s =>
        {
            var ids = new[] { placed["order"]!.Id(), standard.Id() };
            var jobs = await ProductionStore.JobsOfAsync(s, ids);
            var orders = new List<PlanOrder>();
            foreach (var id in ids)
            {
                orders.Add(new PlanOrder((await Orders.FindAsync(s, id))!, jobs[id]));
            }

            var machines = new List<PlanMachine>();
            foreach (var id in new[] { plant.MachineId, fast })
            {
                machines.Add(new PlanMachine(id, $"machine {id}", plant.SiteId, (await Capabilities.GetAsync(s, id)).Capabilities.ToHashSet(StringComparer.Ordinal), true));
            }

            return (Jobs: jobs, Times: await new TailoringJobTimes(new TailoringOptions()).LoadAsync(s, orders, machines));
        }, CancellationToken.None);

        var job = times.Jobs[placed["order"]!.Id()].ToDictionary(j => j.Capability, j => j.Id);
        static long Ms(double seconds) => (long)Math.Ceiling(seconds * 1000);
        // The press states no rates: the defaults, 250 mm/s, 40 mm/s and 45 s a piece. The fast cell states its own.
        Assert.Equal(Ms(cut / 250), times.Times[(job["cutting"], plant.MachineId)].FirstMs);
        Assert.Equal(Ms(cut / 500), times.Times[(job["cutting"], fast)].FirstMs);
        Assert.Equal(Ms((seams / 40) + (pieces * 45)), times.Times[(job["sewing"], plant.MachineId)].FirstMs);
        Assert.Equal(Ms((seams / 80) + (pieces * 10)), times.Times[(job["sewing"], fast)].FirstMs);
        Assert.DoesNotContain(times.Times.Keys, k => k.JobId == job["finishing"]);
        Assert.DoesNotContain(times.Times.Keys, k => times.Jobs[standard.Id()].Any(j => j.Id == k.JobId));
    }

    [Fact]
    public void A_malformed_or_out_of_range_rate_capability_leaves_the_default()
    {
        var options = new TailoringOptions();
        var rates = GarmentRates.Of(["cutting-speed-0", "cutting-speed-fast", "sewing-speed-100001", "sewing-handling-3601", "sewing-speed-60"], options);
        Assert.Equal(new GarmentRates(250, 60, 45), rates);
    }

    public sealed class OnSqlite(SqliteHost host) : MachineRateTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : MachineRateTests(host), IClassFixture<PostgresHost>;
}
