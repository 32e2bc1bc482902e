using System.Globalization;
using System.Net;
using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;
using Millwright.Storage.TimeSeries;
using Millwright.Tests.Harness;
using static Millwright.Tests.Maintenance.WearHistory;

namespace Millwright.Tests.Maintenance;

/// <summary>
/// The platform plans maintenance from the failure risk as a planned stop in the machine's site calendar: before the
/// latest safe start, where it costs the least working time (here a break), kept on the next pass, removed once an
/// operator records the part's maintenance; shown with the risk and its explanation. Two machines of the type broke down after their vibration
/// rose; a third is on a slower path, a fourth steady.
/// </summary>
public abstract class MaintenancePlanningTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_machine_nearing_failure_gets_a_maintenance_stop_in_a_break_before_its_latest_safe_start_and_steady_ones_none()
    {
        using var t = await Host.CreateTenantAsync();
        var (plant, ids, now) = await WearingFleetAsync(t);
        var wearing = ids[2];

        var risk = await t.Viewer.GetJsonAsync($"/api/v1/machines/{wearing}/risk");
        Assert.Equal("ok", risk["status"]!.GetValue<string>());
        Assert.Contains("vibration is", risk["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        var by = risk["maintainBy"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds();
        Assert.InRange(by, now + (4 * Hour), now + (18 * Hour));
        Assert.Null(risk["plannedStop"]);

        // One shift from an hour ago to three hours past the latest safe start, with a break ending an hour before it.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var breakStart = (by / 60_000 * 60_000) - (3 * Hour);
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            shifts = new object[]
            {
                new
                {
                    name = "long", days = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }, start = Local(zone, now - Hour), end = Local(zone, by + (3 * Hour)),
                    breaks = new[] { new { start = Local(zone, breakStart), end = Local(zone, breakStart + (2 * Hour)) } },
                },
            },
        }, HttpStatusCode.OK);

        var plan = (await t.Operator.PostJsonAsync("/api/v1/maintenance/plan", new { }, HttpStatusCode.OK))["items"]!.AsArray();
        var item = Assert.Single(plan)!;
        Assert.Equal((wearing, "planned", 0.0), (item["machineId"]!.GetValue<long>(), item["action"]!.GetValue<string>(), item["cost"]!.GetValue<double>()));
        Assert.Equal(breakStart, item["from"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        Assert.Equal(breakStart + (2 * Hour), item["to"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());

        var stop = Assert.Single((await t.Viewer.GetJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar"))["calendar"]!["plannedStops"]!.AsArray())!;
        Assert.Equal(wearing, stop["machineId"]!.GetValue<long>());
        Assert.StartsWith("predictive maintenance (vibration)", stop["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var shown = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{wearing}/risk"))["plannedStop"]!;
        Assert.Equal(breakStart, shown["from"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());

        // The next pass keeps it rather than moving it again.
        var again = Assert.Single((await t.Operator.PostJsonAsync("/api/v1/maintenance/plan", new { }, HttpStatusCode.OK))["items"]!.AsArray())!;
        Assert.Equal(("kept", breakStart), (again["action"]!.GetValue<string>(), again["from"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds()));
        Assert.Single((await t.Viewer.GetJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar"))["calendar"]!["plannedStops"]!.AsArray());

        // A stop the machine stood in, naming maintenance, renews nothing by itself (nobody said the work was done)...
        await using (var s = await Session.BeginAsync(Host.Database, Caller.CommandLine(t.Id), TimeProvider.System))
        {
            await s.ExecuteAsync("INSERT INTO machine_states (tenant_id, machine_id, state, start_at, end_at, reason) VALUES (@Tenant, @wearing, 'planned_stop', @from, @to, 'bearing maintenance')",
                new { s.Tenant, wearing, from = now - (5 * 60_000), to = now - 60_000 });
            await s.CommitAsync();
        }

        Assert.Equal("kept", Assert.Single((await t.Operator.PostJsonAsync("/api/v1/maintenance/plan", new { }, HttpStatusCode.OK))["items"]!.AsArray())!["action"]!.GetValue<string>());

        // ...but an operator's record that maintenance was done a minute ago renews the part: the stop goes.
        await t.Operator.PostJsonAsync($"/api/v1/machines/{wearing}/maintenance-records",
            new { kind = "maintenance", doneAt = DateTimeOffset.FromUnixTimeMilliseconds(now - 60_000) }, HttpStatusCode.Created);

        var removed = Assert.Single((await t.Operator.PostJsonAsync("/api/v1/maintenance/plan", new { }, HttpStatusCode.OK))["items"]!.AsArray())!;
        Assert.Equal("removed", removed["action"]!.GetValue<string>());
        Assert.Empty((await t.Viewer.GetJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar"))["calendar"]!["plannedStops"]!.AsArray());
    }

    [Fact]
    public async Task Only_operators_plan_and_a_pass_touches_only_the_callers_tenant()
    {
        using var t = await Host.CreateTenantAsync();
        var (plant, ids, _) = await WearingFleetAsync(t);
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/maintenance/plan", new { }, HttpStatusCode.Forbidden, "");

        using var other = await Host.CreateTenantAsync();
        Assert.Empty((await other.Operator.PostJsonAsync("/api/v1/maintenance/plan", new { }, HttpStatusCode.OK))["items"]!.AsArray());

        // Around the clock (no shifts), the stop is as late as is safe, and the calendar is the owner's.
        var item = Assert.Single((await t.Operator.PostJsonAsync("/api/v1/maintenance/plan", new { }, HttpStatusCode.OK))["items"]!.AsArray())!;
        Assert.Equal(ids[2], item["machineId"]!.GetValue<long>());
        Assert.True(item["from"]!.GetValue<DateTimeOffset>() <= item["maintainBy"]!.GetValue<DateTimeOffset>());
        Assert.Single((await t.Viewer.GetJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar"))["calendar"]!["plannedStops"]!.AsArray());
    }

    /// <summary>
    /// Four vibration machines on the plant's line: a and b rose for eight hours and broke down (3 h repairs), c has been
    /// on a slower rise for six hours since its last repair, d is steady. All states and readings end now.
    /// </summary>
    private async Task<(Plant Plant, List<long> Ids, long Now)> WearingFleetAsync(TestTenant t)
    {
        var plant = await Plant.CreateAsync(t);
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new { }, HttpStatusCode.OK);
        var type = await t.Operator.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{plant.Marker} spindle", tags = new object[] { new { name = "vibration", unit = "mm/s", dataType = "float" } },
        }, HttpStatusCode.Created);
        var ids = new List<long>();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            ids.Add((await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = type.Id(), name = $"{plant.Marker}-{name}" }, HttpStatusCode.Created)).Id());
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        var points = new List<IngestPoint>();
        await using (var s = await Session.BeginAsync(Host.Database, Caller.CommandLine(t.Id), TimeProvider.System))
        {
            foreach (var (machine, offset, slope) in new[] { (ids[0], 23 * Hour, 0.05), (ids[1], 22 * Hour, 0.055) })
            {
                await StatesAsync(s, machine, (now - offset - (3 * Hour), "down"), (now - offset, "running"), (now - offset + (8 * Hour), "down"), (now - offset + (11 * Hour), "running"));
                points.AddRange(Vibration(t.Id, machine, now - offset, 8, h => 1 + (slope * h * h)));
                points.AddRange(Vibration(t.Id, machine, now - offset + (11 * Hour), 9, _ => 1));
            }

            await StatesAsync(s, ids[2], (now - (9 * Hour), "down"), (now - (6 * Hour), "running"));
            points.AddRange(Vibration(t.Id, ids[2], now - (6 * Hour), 6, h => 1 + (0.02 * h * h)));
            await StatesAsync(s, ids[3], (now - (10 * Hour), "running"));
            points.AddRange(Vibration(t.Id, ids[3], now - (10 * Hour), 10, _ => 1));
            await s.CommitAsync();
        }

        Assert.Empty((await Host.Service<TelemetryStorage>().Store.AppendAsync(points)).Rejected);
        return (plant, ids, now);
    }

    private static string Local(TimeZoneInfo zone, long unixMs) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    public sealed class OnSqlite(SqliteHost host) : MaintenancePlanningTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : MaintenancePlanningTests(host), IClassFixture<PostgresHost>;
}
