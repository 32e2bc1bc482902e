using System.Net;
using Millwright.Api;
using Millwright.Security;
using Millwright.Tests.Harness;
using static Millwright.Tests.Maintenance.WearHistory;

namespace Millwright.Tests.Maintenance;

/// <summary>
/// The failure-risk estimate over REST from stored states and telemetry only: two machines of a type broke down after
/// their vibration rose, a third is on the same path, a fourth is steady; the threshold is learned from the first two.
/// </summary>
public abstract class RiskApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_machine_degrading_like_those_that_broke_down_is_at_risk_and_a_steady_one_is_not()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, now) = await DegradingMachinesAsync(Host, t, plant.LineId, plant.Marker);

        var atRisk = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk");
        Assert.Equal("ok", atRisk["status"]!.GetValue<string>());
        Assert.Equal("vibration", atRisk["tag"]!.GetValue<string>());
        Assert.Equal(2, atRisk["breakdownsLearned"]!.GetValue<int>());
        Assert.True(atRisk["nextShift"]!.GetValue<double>() > 0.5, atRisk.ToJsonString());
        Assert.True(atRisk["nextDay"]!.GetValue<double>() >= atRisk["nextShift"]!.GetValue<double>());
        Assert.InRange(atRisk["excess"]!.GetValue<double>(), 0.7, 1.2);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(now - (6 * Hour)), atRisk["partSince"]!.GetValue<DateTimeOffset>());

        var steady = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[3]}/risk");
        Assert.Equal(("ok", 0.0), (steady["status"]!.GetValue<string>(), steady["nextDay"]!.GetValue<double>()));
        Assert.Null(steady["partSince"]);

        var noIndicator = await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/risk");
        Assert.Equal("no-indicator", noIndicator["status"]!.GetValue<string>());

        var list = (await t.Viewer.GetJsonAsync("/api/v1/risk"))["items"]!.AsArray();
        Assert.Equal(ids[2], list[0]!["machineId"]!.GetValue<long>());
        Assert.Equal(5, list.Count);

        using var other = await Host.CreateTenantAsync();
        await other.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{ids[2]}/risk", null, HttpStatusCode.NotFound, "machine");
        Assert.Empty((await other.Viewer.GetJsonAsync("/api/v1/risk"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_worn_machine_that_stops_is_advised_to_have_its_part_renewed_during_the_repair_and_a_steady_one_is_not()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, now) = await DegradingMachinesAsync(Host, t, plant.LineId, plant.Marker);
        // c (worn) and d (steady) stop ten minutes ago: a stoppage has begun, its repair not done.
        await using (var s = await Session.BeginAsync(Host.Database, Caller.CommandLine(t.Id), TimeProvider.System))
        {
            foreach (var machine in new[] { ids[2], ids[3] })
            {
                await s.ExecuteAsync("UPDATE machine_states SET end_at = @at WHERE tenant_id = @Tenant AND machine_id = @machine AND end_at IS NULL",
                    new { s.Tenant, machine, at = now - (10 * 60_000) });
                await StatesAsync(s, machine, (now - (10 * 60_000), "down"));
            }

            await s.CommitAsync();
        }

        var worn = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk");
        Assert.True(worn["renewDuringStop"]!.GetValue<bool>(), worn.ToJsonString());
        Assert.Contains("down for a repair now: renew the part during this stop", worn["explanation"]!.GetValue<string>());

        var steady = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[3]}/risk");
        Assert.False(steady["renewDuringStop"]!.GetValue<bool>(), steady.ToJsonString());

        var running = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[0]}/risk");
        Assert.Null(running["renewDuringStop"]); // running: no repair to renew it at
        Assert.Contains("can wait for a later stop", steady["explanation"]!.GetValue<string>());

        using var other = await Host.CreateTenantAsync();
        await other.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{ids[2]}/risk", null, HttpStatusCode.NotFound, "machine");
    }

    [Fact]
    public async Task A_worn_machine_in_a_planned_stop_of_another_kind_is_advised_to_have_its_part_renewed_in_it_and_not_in_a_maintenance_stop()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, now) = await DegradingMachinesAsync(Host, t, plant.LineId, plant.Marker);
        var (from, to) = (DateTimeOffset.FromUnixTimeMilliseconds(now - (10 * 60_000)), DateTimeOffset.FromUnixTimeMilliseconds(now + (3 * Hour)));

        // A changeover stop of c (worn) under way: the renewal fits inside what is left of it.
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            plannedStops = new[] { new { from, to, machineId = ids[2], reason = "mould change" } },
        }, HttpStatusCode.OK);
        var worn = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk");
        Assert.True(worn["renewDuringStop"]!.GetValue<bool>(), worn.ToJsonString());
        Assert.Contains("in a planned stop now: renew the part during this stop", worn["explanation"]!.GetValue<string>());
        Assert.Null((await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[3]}/risk"))["renewDuringStop"]); // not its stop

        // A maintenance stop under way is itself the renewal: no advice on top (a calendar change drops the cached estimate).
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            plannedStops = new[] { new { from, to, machineId = ids[2], reason = "predictive maintenance (vibration)" } },
        }, HttpStatusCode.OK);
        Assert.Null((await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk"))["renewDuringStop"]);
    }

    [Fact]
    public async Task Without_two_breakdowns_to_learn_from_the_risk_is_still_being_learned()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var type = await t.Operator.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{plant.Marker} pump", tags = new object[] { new { name = "hydraulic_pressure", unit = "bar", dataType = "float" } },
        }, HttpStatusCode.Created);
        var machine = (await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = type.Id(), name = $"{plant.Marker}-x" }, HttpStatusCode.Created)).Id();

        var risk = await t.Viewer.GetJsonAsync($"/api/v1/machines/{machine}/risk");

        Assert.Equal(("learning", "hydraulic_pressure", 0), (risk["status"]!.GetValue<string>(), risk["tag"]!.GetValue<string>(), risk["breakdownsLearned"]!.GetValue<int>()));
        Assert.Null(risk["nextDay"]);
    }

    public sealed class OnSqlite(SqliteHost host) : RiskApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : RiskApiTests(host), IClassFixture<PostgresHost>;
}
