using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;
using Millwright.Tests.States;

namespace Millwright.Tests.Goals;

public abstract class GoalBoardApiTests(HostFixture fixture)
{
    private const double Day = 86_400_000;

    // The shift of ShiftFixture split in two: 05:00-09:00 UTC as the baseline, 09:00-13:00 (from 09:00 as epoch ms) as the current period.
    private const string Halves = "baselineFrom=2026-01-05T05:00:00Z&baselineTo=2026-01-05T10:00:00%2B01:00&currentFrom=1767603600000&currentTo=2026-01-05T13:00:00Z";

    private TestHost Host => fixture.Host;

    private static JsonNode Tile(JsonNode board, string key) => board["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == key)!;

    private static double? Value(JsonNode tile, string field) => tile[field]?.GetValue<double>();

    [Fact]
    public async Task The_board_compares_two_periods_of_ingested_states_and_counts_by_the_KPI_reports_formulas()
    {
        using var t = await Host.CreateTenantAsync();
        var f = await ShiftFixture.CreateAsync(t, Host.Database);

        var board = await t.Viewer.GetJsonAsync($"/api/v1/kpis/board?{Halves}");

        Assert.Equal(ShiftFixture.At(5), board["baseline"]!["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(ShiftFixture.At(9), board["current"]!["from"]!.GetValue<DateTimeOffset>());
        // Good units per running hour. Baseline: GQ = 240 − 6 + 120 + 5 = 359 over APT 05:00-08:00 and 08:30-09:00 (3.5 h).
        // Current: GQ = 240 − 4 + 40 = 276 over APT 09:30-11:00, 11:15-12:00, 12:30-12:50 (9,300 s; the break is 09:00-09:30).
        var efficiency = Tile(board, "productionEfficiency");
        Assert.Equal(359 / 3.5, Value(efficiency, "baseline")!.Value, 9);
        Assert.Equal(276 / (9_300 / 3600.0), Value(efficiency, "current")!.Value, 9);
        Assert.Equal((276 / (9_300 / 3600.0) - 359 / 3.5) / (359 / 3.5) * 100, Value(efficiency, "changePercent")!.Value, 9);
        Assert.True(efficiency["upIsGood"]!.GetValue<bool>());
        Assert.True(efficiency["improved"]!.GetValue<bool>());

        // OEE is the KPI report's over the same periods, for the machine that counts units: the plant's other
        // machine has no part counter, so the board leaves it out (it is not production equipment for these goals).
        var oee = Tile(board, "oee");
        foreach (var (field, from, to) in new[] { ("baseline", "2026-01-05T05:00:00Z", "2026-01-05T09:00:00Z"), ("current", "2026-01-05T09:00:00Z", "2026-01-05T13:00:00Z") })
        {
            var report = await t.Viewer.GetJsonAsync($"/api/v1/kpis?machine={f.MachineId}&from={from}&to={to}");
            Assert.Equal(report["periods"]![0]!["kpis"]!["oee"]!.GetValue<double>(), Value(oee, field)!.Value, 12);
        }

        // Energy per good unit: 60 + 40 kWh for 359 good units, then 100 + 20 kWh for 276; more energy per unit is worse.
        var perUnit = Tile(board, "energyPerGoodUnit");
        Assert.Equal(100.0 / 359, Value(perUnit, "baseline")!.Value, 12);
        Assert.Equal(120.0 / 276, Value(perUnit, "current")!.Value, 12);
        Assert.False(perUnit["upIsGood"]!.GetValue<bool>());
        Assert.False(perUnit["improved"]!.GetValue<bool>());

        // Energy utilization: both baseline minutes (07:00, 08:30) start while running; of the current ones, 11:00 starts
        // the alarm-7 stop and 12:50 the offline interval (the sweep dates it from the last message), so none of 120 kWh.
        var utilization = Tile(board, "energyUtilization");
        Assert.Equal(1.0, Value(utilization, "baseline"));
        Assert.Equal(0.0, Value(utilization, "current"));
        Assert.Equal(-100.0, Value(utilization, "changePercent"));

        // No orders and no stock in these hours: no figure rather than zero, and no change.
        foreach (var key in new[] { "inventoryTurnover", "leadTime", "onTimeDelivery" })
        {
            Assert.Null(Tile(board, key)["baseline"]);
            Assert.Null(Tile(board, key)["current"]);
            Assert.Null(Tile(board, key)["changePercent"]);
        }

        // Sparklines over both periods, hour by hour: 07:00-08:00 ran all hour and made 234 good units.
        Assert.Equal(3600, board["bucketSeconds"]!.GetValue<long>());
        var points = efficiency["sparkline"]!.AsArray();
        Assert.Equal(Enumerable.Range(5, 8).Select(h => ShiftFixture.At(h)), points.Select(p => p!["from"]!.GetValue<DateTimeOffset>()));
        Assert.Equal(234, points[2]!["value"]!.GetValue<double>(), 9);
        Assert.All(board["kpis"]!.AsArray(), k => Assert.Equal(8, k!["sparkline"]!.AsArray().Count));
    }

    [Fact]
    public async Task Default_periods_are_the_first_and_last_thirds_of_the_stored_history()
    {
        using var t = await Host.CreateTenantAsync();
        var site = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "store", timeZone = "UTC" }, HttpStatusCode.Created);
        var item = await t.Operator.PostJsonAsync("/api/v1/inventory-items", new { sku = "BOLT", name = "Bolt", unitCost = 2.0 }, HttpStatusCode.Created);
        foreach (var (kind, quantity, at) in new[] { ("receipt", 100, "01"), ("issue", 40, "06"), ("receipt", 50, "16"), ("issue", 60, "26"), ("receipt", 10, "31") })
        {
            await t.Operator.PostJsonAsync("/api/v1/inventory/movements", new { itemId = item.Id(), siteId = site.Id(), kind, quantity, at = $"2026-01-{at}T00:00:00Z" }, HttpStatusCode.Created);
        }

        var board = await t.Viewer.GetJsonAsync("/api/v1/kpis/board");

        // History: the first movement to just after the last; thirds of its 30 days and a millisecond.
        var jan1 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(jan1, board["history"]!["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(jan1.AddDays(30).AddMilliseconds(1), board["history"]!["to"]!.GetValue<DateTimeOffset>());
        Assert.Equal(jan1, board["baseline"]!["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(jan1.AddDays(10), board["baseline"]!["to"]!.GetValue<DateTimeOffset>());
        Assert.Equal(jan1.AddDays(20).AddMilliseconds(1), board["current"]!["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(jan1.AddDays(30).AddMilliseconds(1), board["current"]!["to"]!.GetValue<DateTimeOffset>());

        // Turnover per year. Baseline: 80 issued against 200 held for 5 days and 120 for 5 (average 160), over 10 days.
        // Current: 120 issued against 220 held until Jan 26, 100 until Jan 31 and 120 for the last millisecond.
        var turnover = Tile(board, "inventoryTurnover");
        Assert.Equal("1/year", turnover["unit"]!.GetValue<string>());
        Assert.Equal(80.0 / 160 * 36.5, Value(turnover, "baseline")!.Value, 9);
        var average = (220.0 * (5 * Day - 1) + 100.0 * 5 * Day + 120) / (10 * Day);
        Assert.Equal(120 / average * 36.5, Value(turnover, "current")!.Value, 9);
        Assert.True(turnover["improved"]!.GetValue<bool>());

        // Day buckets over the 30 days and a millisecond; a tenant without machines has no machine figures at all.
        Assert.Equal(86_400, board["bucketSeconds"]!.GetValue<long>());
        Assert.Equal(31, turnover["sparkline"]!.AsArray().Count);
        Assert.All(new[] { "productionEfficiency", "oee", "energyPerGoodUnit", "energyUtilization" }, key =>
            Assert.All(Tile(board, key)["sparkline"]!.AsArray(), p => Assert.Null(p!["value"])));
    }

    [Fact]
    public async Task A_tenant_without_data_sees_no_data_and_never_another_tenants()
    {
        using var other = await Host.CreateTenantAsync();
        await ShiftFixture.CreateAsync(other, Host.Database);
        using var t = await Host.CreateTenantAsync();

        var mine = await t.Viewer.GetJsonAsync($"/api/v1/kpis/board?{Halves}");
        var theirs = await other.Viewer.GetJsonAsync($"/api/v1/kpis/board?{Halves}");
        var defaults = await t.Viewer.GetJsonAsync("/api/v1/kpis/board");

        Assert.NotNull(Tile(theirs, "oee")["current"]);
        Assert.Null(defaults["history"]);
        Assert.Empty(mine["policyChanges"]!.AsArray());
        foreach (var board in new[] { mine, defaults })
        {
            Assert.Equal(7, board["kpis"]!.AsArray().Count);
            Assert.All(board["kpis"]!.AsArray(), k =>
            {
                Assert.Null(k!["baseline"]);
                Assert.Null(k["current"]);
                Assert.All(k["sparkline"]!.AsArray(), p => Assert.Null(p!["value"]));
            });
        }
    }

    [Fact]
    public async Task Recorded_policy_changes_of_the_tenant_inside_the_range_come_back_to_mark_the_sparklines()
    {
        using var t = await Host.CreateTenantAsync();
        using var other = await Host.CreateTenantAsync();
        var before = await t.Viewer.GetJsonAsync($"/api/v1/kpis/board?{Halves}");
        var at = ShiftFixture.At(9).ToUnixTimeMilliseconds();
        var sessions = Host.Service<Millwright.Api.Sessions>();
        Task Record(long tenant, long when, string name, string description) => sessions.RunAsync(
            Millwright.Security.Caller.CommandLine(tenant), s => Millwright.Features.History.PolicyChanges.RecordAsync(s, when, name, description));
        await Record(t.Id, at, "preventive maintenance", "weekly spindle check");
        await Record(other.Id, at, "not ours", "another tenant's change");
        await Record(t.Id, at + 86_400_000, "after the range", "outside the current period");

        var board = await t.Viewer.GetJsonAsync($"/api/v1/kpis/board?{Halves}");

        Assert.Empty(before["policyChanges"]!.AsArray());
        var change = Assert.Single(board["policyChanges"]!.AsArray())!;
        Assert.Equal("preventive maintenance", change["name"]!.GetValue<string>());
        Assert.Equal("weekly spindle check", change["description"]!.GetValue<string>());
        Assert.Equal(ShiftFixture.At(9), change["at"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Bad_periods_are_refused_with_problem_details()
    {
        using var t = await Host.CreateTenantAsync();
        const string Path = "/api/v1/kpis/board?";

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, Path + "baselineFrom=yesterday&baselineTo=2026-01-02T00:00:00Z", null, HttpStatusCode.BadRequest, "baselineFrom: must be epoch milliseconds or ISO-8601");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, Path + "currentFrom=2026-01-05T06:00:00&currentTo=2026-01-06T06:00:00Z", null, HttpStatusCode.BadRequest, "with a zone");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, Path + "baselineFrom=2026-01-05T06:00:00Z", null, HttpStatusCode.BadRequest, "baselineTo: give both baselineFrom and baselineTo");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, Path + "currentFrom=1767603600000&currentTo=1767603600000", null, HttpStatusCode.BadRequest, "currentFrom: must be before currentTo");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, Path + "baselineFrom=2025-01-01T00:00:00Z&baselineTo=2025-01-02T00:00:00Z&currentFrom=2026-01-01T00:00:00Z&currentTo=2026-01-02T00:00:00Z",
            null, HttpStatusCode.BadRequest, "at most 92 days");
        var problem = await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, Path + "baselineFrom=x&baselineTo=y&currentTo=99999999999999999999", null, HttpStatusCode.BadRequest, "must be");
        Assert.Equal(["baselineFrom", "baselineTo", "currentFrom", "currentTo"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        using var anonymous = Host.Client(null);
        using var response = await anonymous.GetAsync(new Uri(Path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public sealed class OnSqlite(SqliteHost host) : GoalBoardApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : GoalBoardApiTests(host), IClassFixture<PostgresHost>;
}
