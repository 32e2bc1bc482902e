using System.Net;
using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;
using Millwright.Storage.TimeSeries;
using Millwright.Tests.Harness;
using static Millwright.Tests.Maintenance.WearHistory;

namespace Millwright.Tests.Maintenance;

/// <summary>
/// Maintenance records: a planned maintenance stop renews the part only once an operator confirms it was carried out,
/// and a breakdown's repair, once recorded, renews the part and teaches the failure threshold even when the repair was
/// too short for the platform to take it for a part change. Audited, refused with a named field, tenant-scoped.
/// </summary>
public abstract class MaintenanceRecordTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_maintenance_stop_renews_the_part_only_once_an_operator_confirms_it_was_carried_out()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, now) = await DegradingMachinesAsync(Host, t, plant.LineId, plant.Marker);
        var wearing = ids[2];
        var (from, to) = (now - (130 * 60_000), now - (10 * 60_000));
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            plannedStops = new[] { new { from = DateTimeOffset.FromUnixTimeMilliseconds(from), to = DateTimeOffset.FromUnixTimeMilliseconds(to), machineId = wearing, reason = "predictive maintenance (vibration)" } },
        }, HttpStatusCode.OK);

        // The stop is over, but nobody said the work was done: the part is as worn as before, and the stop awaits confirmation.
        var before = await t.Viewer.GetJsonAsync($"/api/v1/machines/{wearing}/risk");
        Assert.Equal("ok", before["status"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(now - (6 * Hour)), before["partSince"]!.GetValue<DateTimeOffset>());
        Assert.Equal(from, before["unconfirmedStop"]!["from"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        Assert.Null(before["lastMaintenance"]);

        var body = new { kind = "maintenance", plannedStopFrom = DateTimeOffset.FromUnixTimeMilliseconds(from), note = "bearing replaced" };
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{wearing}/maintenance-records", body, HttpStatusCode.Forbidden, "");
        var record = await t.Operator.PostJsonAsync($"/api/v1/machines/{wearing}/maintenance-records", body, HttpStatusCode.Created);
        Assert.Equal(("maintenance", to, "bearing replaced"), (record["kind"]!.GetValue<string>(), record["doneAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds(), record["note"]!.GetValue<string>()));
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{wearing}/maintenance-records", body, HttpStatusCode.Conflict, "already confirmed");

        // The part is new from the stop's end: too few readings since for a baseline.
        var after = await t.Viewer.GetJsonAsync($"/api/v1/machines/{wearing}/risk");
        Assert.Equal("new-part", after["status"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(to), after["partSince"]!.GetValue<DateTimeOffset>());
        Assert.Equal(record.Id(), after["lastMaintenance"]!.Id());
        Assert.Null(after["unconfirmedStop"]);

        var listed = Assert.Single(await t.Viewer.ListAsync($"/api/v1/machines/{wearing}/maintenance-records"))!;
        Assert.Equal(record.Id(), listed.Id());
        var audit = (await t.Admin.GetJsonAsync("/api/v1/audit?limit=50"))["items"]!.AsArray();
        Assert.Contains(audit, e => e!["entity"]?.GetValue<string>() == "maintenance_record" && e["summary"]!.GetValue<string>().Contains("carried out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_recorded_repair_of_a_short_breakdown_renews_the_part_and_teaches_the_threshold()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, now) = await ShortRepairFleetAsync(t, plant);

        // b's one-hour repair is too short to be taken for a part change: only a's breakdown teaches, so c is still being learned.
        var learning = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk");
        Assert.Equal(("learning", 1), (learning["status"]!.GetValue<string>(), learning["breakdownsLearned"]!.GetValue<int>()));
        var b = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[1]}/risk");
        var breakdown = b["unrecordedBreakdown"]!;
        Assert.Equal(("down", now - (14 * Hour)), (breakdown["state"]!.GetValue<string>(), breakdown["start"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds()));

        var record = await t.Operator.PostJsonAsync($"/api/v1/machines/{ids[1]}/maintenance-records", new { kind = "repair", breakdownStateId = breakdown.Id() }, HttpStatusCode.Created);
        Assert.Equal(now - (13 * Hour), record["doneAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{ids[1]}/maintenance-records",
            new { kind = "repair", breakdownStateId = breakdown.Id() }, HttpStatusCode.Conflict, "already recorded");

        var learned = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk");
        Assert.Equal(("ok", 2), (learned["status"]!.GetValue<string>(), learned["breakdownsLearned"]!.GetValue<int>()));
        Assert.True(learned["nextShift"]!.GetValue<double>() > 0.5, learned.ToJsonString());
        var renewed = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[1]}/risk");
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(now - (13 * Hour)), renewed["partSince"]!.GetValue<DateTimeOffset>());
        Assert.Null(renewed["unrecordedBreakdown"]);
    }

    [Fact]
    public async Task Bad_records_are_refused_naming_the_field_and_another_tenant_sees_and_records_nothing()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, now) = await DegradingMachinesAsync(Host, t, plant.LineId, plant.Marker);
        var path = $"/api/v1/machines/{ids[2]}/maintenance-records";
        var soon = DateTimeOffset.FromUnixTimeMilliseconds(now + Hour);
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            plannedStops = new[] { new { from = soon, to = soon.AddHours(2), machineId = ids[2], reason = "predictive maintenance (vibration)" } },
        }, HttpStatusCode.OK);
        long downOfA;
        await using (var s = await Session.BeginAsync(Host.Database, Caller.CommandLine(t.Id), TimeProvider.System))
        {
            downOfA = await s.ScalarAsync<long>("SELECT id FROM machine_states WHERE tenant_id = @Tenant AND machine_id = @a AND state = 'down' ORDER BY start_at LIMIT 1", new { s.Tenant, a = ids[0] });
        }

        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { }, "kind"),
            (new { kind = "overhaul" }, "kind"),
            (new { kind = "maintenance", plannedStopFrom = soon.AddMinutes(5) }, "plannedStopFrom"),
            (new { kind = "maintenance", plannedStopFrom = soon }, "plannedStopFrom: the planned stop has not begun"),
            (new { kind = "maintenance", breakdownStateId = downOfA }, "breakdownStateId"),
            (new { kind = "maintenance", doneAt = DateTimeOffset.UtcNow.AddHours(1) }, "doneAt: is in the future"),
            (new { kind = "maintenance", doneAt = DateTimeOffset.UtcNow.AddDays(-61) }, "doneAt"),
            (new { kind = "repair" }, "breakdownStateId: is required"),
            (new { kind = "repair", breakdownStateId = downOfA }, $"breakdownStateId: is not a down interval of machine {ids[2]}"),
            (new { kind = "maintenance", note = new string('x', 5000) }, "note"),
        })
        {
            await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, path, body, HttpStatusCode.BadRequest, field);
        }

        Assert.Empty(await t.Viewer.ListAsync(path));

        using var other = await Host.CreateTenantAsync();
        await other.Viewer.SendExpectingProblemAsync(HttpMethod.Get, path, null, HttpStatusCode.NotFound, "machine");
        await other.Admin.SendExpectingProblemAsync(HttpMethod.Post, path, new { kind = "maintenance" }, HttpStatusCode.NotFound, "machine");
        await other.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{ids[0]}/maintenance-records", new { kind = "repair", breakdownStateId = downOfA }, HttpStatusCode.NotFound, "machine");
        Assert.Empty(await t.Viewer.ListAsync(path));
        Assert.Empty(await t.Viewer.ListAsync($"/api/v1/machines/{ids[0]}/maintenance-records"));
    }

    /// <summary>
    /// Three vibration machines: a rose for eight hours and broke down for 3 h (a part change the platform infers); b rose
    /// the same way but its repair took only an hour; c is six hours along the same path. Returns a, b, c and now.
    /// </summary>
    private async Task<(List<long> Ids, long Now)> ShortRepairFleetAsync(TestTenant t, Plant plant)
    {
        var type = await t.Operator.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{plant.Marker} spindle", tags = new object[] { new { name = "vibration", unit = "mm/s", dataType = "float" } },
        }, HttpStatusCode.Created);
        var ids = new List<long>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            ids.Add((await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = type.Id(), name = $"{plant.Marker}-{name}" }, HttpStatusCode.Created)).Id());
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        var points = new List<IngestPoint>();
        await using (var s = await Session.BeginAsync(Host.Database, Caller.CommandLine(t.Id), TimeProvider.System))
        {
            await StatesAsync(s, ids[0], (now - (26 * Hour), "down"), (now - (23 * Hour), "running"), (now - (15 * Hour), "down"), (now - (12 * Hour), "running"));
            points.AddRange(Vibration(t.Id, ids[0], now - (23 * Hour), 8, h => 1 + (0.05 * h * h)));
            await StatesAsync(s, ids[1], (now - (25 * Hour), "down"), (now - (22 * Hour), "running"), (now - (14 * Hour), "down"), (now - (13 * Hour), "running"));
            points.AddRange(Vibration(t.Id, ids[1], now - (22 * Hour), 8, h => 1 + (0.055 * h * h)));
            points.AddRange(Vibration(t.Id, ids[1], now - (13 * Hour), 13, _ => 1));
            await StatesAsync(s, ids[2], (now - (9 * Hour), "down"), (now - (6 * Hour), "running"));
            points.AddRange(Vibration(t.Id, ids[2], now - (6 * Hour), 6, h => 1 + (0.05 * h * h)));
            await s.CommitAsync();
        }

        Assert.Empty((await Host.Service<TelemetryStorage>().Store.AppendAsync(points)).Rejected);
        return (ids, now);
    }

    public sealed class OnSqlite(SqliteHost host) : MaintenanceRecordTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : MaintenanceRecordTests(host), IClassFixture<PostgresHost>;
}
