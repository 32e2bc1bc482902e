using System.Net;
using Millwright.Tests.Harness;
using static Millwright.Tests.Maintenance.WearHistory;

namespace Millwright.Tests.Maintenance;

/// <summary>Per-machine-type risk settings over REST: defaults, checked input, audit, tenant scope, and their use by the estimate and the planner.</summary>
public abstract class RiskSettingsTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_types_accepted_risk_and_horizon_are_stored_audited_and_used_by_the_estimate_and_the_planner()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, _) = await DegradingMachinesAsync(Host, t, plant.LineId, plant.Marker);
        var typeId = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}"))["typeId"]!.GetValue<long>();
        var url = $"/api/v1/machine-types/{typeId}/risk-settings";

        var defaults = await t.Viewer.GetJsonAsync(url);
        Assert.Equal(("default", 0.05, 72.0), (defaults["source"]!.GetValue<string>(), defaults["acceptedRisk"]!.GetValue<double>(), defaults["horizonHours"]!.GetValue<double>()));
        var before = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk");
        Assert.Contains("under 5%", before["explanation"]!.GetValue<string>(), StringComparison.Ordinal);

        await t.Admin.SendExpectingProblemAsync(HttpMethod.Put, url, new { acceptedRisk = 0.9, horizonHours = 24 }, HttpStatusCode.BadRequest, "acceptedRisk");
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Put, url, new { acceptedRisk = 0.2, horizonHours = 0 }, HttpStatusCode.BadRequest, "horizonHours");
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Put, url, new { horizonHours = 24 }, HttpStatusCode.BadRequest, "acceptedRisk");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, url, new { acceptedRisk = 0.2, horizonHours = 24 }, HttpStatusCode.Forbidden, "");
        Assert.Equal("default", (await t.Viewer.GetJsonAsync(url))["source"]!.GetValue<string>());

        // A larger accepted risk: the estimate says so, and the latest safe start is no earlier.
        var stored = await t.Admin.PutJsonAsync(url, new { acceptedRisk = 0.25, horizonHours = 1 }, HttpStatusCode.OK);
        Assert.Equal(("stored", 0.25, 1.0), (stored["source"]!.GetValue<string>(), stored["acceptedRisk"]!.GetValue<double>(), stored["horizonHours"]!.GetValue<double>()));
        Assert.Equal(stored.ToJsonString(), (await t.Viewer.GetJsonAsync(url)).ToJsonString());
        var after = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk");
        Assert.Contains("under 25%", after["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(after["maintainBy"]!.GetValue<DateTimeOffset>() >= before["maintainBy"]!.GetValue<DateTimeOffset>(), $"{before["maintainBy"]} → {after["maintainBy"]}");
        var audit = await t.Admin.ListAsync($"/api/v1/audit?entity=risk_settings&entityId={typeId}");
        Assert.Contains("accepted risk 0.25, horizon 1 h", Assert.Single(audit)!["summary"]!.GetValue<string>(), StringComparison.Ordinal);

        // The planner plans a stop only once the latest safe start is within the type's horizon.
        var by = after["maintainBy"]!.GetValue<DateTimeOffset>();
        var plan = (await t.Operator.PostJsonAsync("/api/v1/maintenance/plan", new { }, HttpStatusCode.OK))["items"]!.AsArray();
        var withinHour = by <= DateTimeOffset.UtcNow.AddHours(1);
        Assert.Equal(withinHour, plan.Any(p => p!["machineId"]!.GetValue<long>() == ids[2] && p["action"]!.GetValue<string>() == "planned"));
        if (!withinHour)
        {
            await t.Admin.PutJsonAsync(url, new { acceptedRisk = 0.25, horizonHours = 720 }, HttpStatusCode.OK);
            plan = (await t.Operator.PostJsonAsync("/api/v1/maintenance/plan", new { }, HttpStatusCode.OK))["items"]!.AsArray();
            Assert.Contains(plan, p => p!["machineId"]!.GetValue<long>() == ids[2] && p["action"]!.GetValue<string>() == "planned");
        }

        using var other = await Host.CreateTenantAsync();
        await other.Admin.SendExpectingProblemAsync(HttpMethod.Get, url, null, HttpStatusCode.NotFound, "machine type");
        await other.Admin.SendExpectingProblemAsync(HttpMethod.Put, url, new { acceptedRisk = 0.01, horizonHours = 24 }, HttpStatusCode.NotFound, "machine type");
        Assert.Equal(0.25, (await t.Viewer.GetJsonAsync(url))["acceptedRisk"]!.GetValue<double>());
    }

    public sealed class OnSqlite(SqliteHost host) : RiskSettingsTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : RiskSettingsTests(host), IClassFixture<PostgresHost>;
}
