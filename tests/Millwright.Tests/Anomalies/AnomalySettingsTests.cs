using System.Net;
using Millwright.Tests.Alarms;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Anomalies;

public abstract class AnomalySettingsTests(ClockedHost fixture)
{
    [Fact]
    public async Task A_type_without_settings_watches_its_float_gauges_except_ramps_and_positions()
    {
        using var tenant = await fixture.Host.CreateTenantAsync();
        var type = await tenant.Operator.PostJsonAsync("/api/v1/machine-types", new
        {
            name = "excavator-like",
            tags = new object[]
            {
                new { name = "speed", unit = "km/h", dataType = "float" },
                new { name = "fuel_level", unit = "%", dataType = "float" },
                new { name = "engine_hours", unit = "h", dataType = "float", kind = "counter" },
                new { name = "fault_code", dataType = "int" },
                new { name = "engine_running", dataType = "bool" },
            },
        }, HttpStatusCode.Created);

        var settings = await tenant.Viewer.GetJsonAsync($"/api/v1/machine-types/{type.Id()}/anomaly-settings");
        Assert.Equal("default", settings["source"]!.GetValue<string>());
        Assert.Equal("speed:medium", string.Join(',', settings["watched"]!.AsArray().Select(w => $"{w!["tag"]}:{w["sensitivity"]}")));
    }

    [Fact]
    public async Task A_tenant_admin_replaces_the_settings_and_bad_ones_are_refused_with_the_field()
    {
        using var tenant = await fixture.Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(tenant);
        var path = $"/api/v1/machine-types/{plant.TypeId}/anomaly-settings";
        await tenant.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { watched = Array.Empty<object>() }, HttpStatusCode.Forbidden, "");
        await tenant.Admin.SendExpectingProblemAsync(HttpMethod.Put, path, new { watched = new[] { new { tag = "nope", sensitivity = "high" } } },
            HttpStatusCode.BadRequest, "'nope' is not a tag of this machine type");
        await tenant.Admin.SendExpectingProblemAsync(HttpMethod.Put, path, new { watched = new[] { new { tag = "power", sensitivity = "extreme" } } },
            HttpStatusCode.BadRequest, "watched[0].sensitivity");

        var stored = await tenant.Admin.PutJsonAsync(path, new { watched = new[] { new { tag = "power", sensitivity = "high" } }, severity = "high" }, HttpStatusCode.OK);
        Assert.Equal("stored", stored["source"]!.GetValue<string>());
        var read = await tenant.Viewer.GetJsonAsync(path);
        Assert.Equal("high", read["severity"]!.GetValue<string>());
        Assert.Equal("high", read["watched"]![0]!["sensitivity"]!.GetValue<string>());
    }

    public sealed class OnSqlite(ClockedSqliteHost host) : AnomalySettingsTests(host), IClassFixture<ClockedSqliteHost>;

    public sealed class OnPostgres(ClockedPostgresHost host) : AnomalySettingsTests(host), IClassFixture<ClockedPostgresHost>;
}
