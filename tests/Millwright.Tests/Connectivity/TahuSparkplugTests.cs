using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Connectivity;

/// <summary>
/// Sparkplug B as a new user meets it: Eclipse Tahu's JavaScript edge client (npm sparkplug-client 3.2.4) against the
/// real platform. Its NBIRTH carries only the application's metrics, so by default it lacks 'Node Control/Rebirth'.
/// </summary>
public abstract class TahuSparkplugTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_Tahu_birth_without_the_rebirth_metric_is_accepted_with_a_warning_and_its_values_arrive()
    {
        using var t = await Host.CreateTenantAsync();
        // Another tenant's strict setting changes nothing here.
        using var strictOther = await Host.CreateTenantAsync();
        await strictOther.Admin.PutJsonAsync("/api/v1/sparkplug/settings", new { strictBirths = true }, HttpStatusCode.OK);
        var plant = await Plant.CreateAsync(t);
        await using var tahu = StartTahu(t, plant, rebirthMetric: false);
        await tahu.ReadyAsync();

        var latest = await LatestAsync(t, plant, l => Power(l) == 20.0);

        Assert.Contains("Node Control/Rebirth", Detail(latest), StringComparison.Ordinal);
        Assert.StartsWith("warning on NBIRTH", Detail(latest), StringComparison.Ordinal);
        Assert.True(latest["connection"]!["online"]!.GetValue<bool>());
        var flags = await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/telemetry-flags");
        Assert.Contains(flags.AsArray(), f => f!["tag"]!.GetValue<string>() == "sparkplug.NBIRTH"
            && f["reason"]!.GetValue<string>() == "nbirth-without-rebirth-metric (accepted)");
        Assert.False((await t.Viewer.GetJsonAsync("/api/v1/sparkplug/settings"))["strictBirths"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_strict_tenant_refuses_that_birth_and_the_machine_the_flags_and_the_metrics_say_why()
    {
        using var t = await Host.CreateTenantAsync();
        await t.Admin.PutJsonAsync("/api/v1/sparkplug/settings", new { strictBirths = true }, HttpStatusCode.OK);
        var plant = await Plant.CreateAsync(t);
        await using var tahu = StartTahu(t, plant, rebirthMetric: false);
        await tahu.ReadyAsync();

        // The NDATA after the refused birth is out of session: the host asks the node to rebirth, and Tahu hears it.
        var ncmd = await tahu.WaitForAsync("ncmd");
        Assert.Contains(ncmd.GetProperty("metrics").EnumerateArray(), m => m.GetProperty("name").GetString() == "Node Control/Rebirth");
        var flags = await Eventually.ValueAsync(
            async () => (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/telemetry-flags")).AsArray(),
            f => f.Count >= 2, "flags for the refused NBIRTH and NDATA");
        Assert.Contains(flags, f => f!["tag"]!.GetValue<string>() == "sparkplug.NBIRTH" && f["reason"]!.GetValue<string>() == "nbirth-without-rebirth-metric"
            && f["lastValue"]!.GetValue<string>().Contains("Node Control/Rebirth", StringComparison.Ordinal));
        Assert.Contains(flags, f => f!["tag"]!.GetValue<string>() == "sparkplug.NDATA" && f["reason"]!.GetValue<string>() == "out-of-session");
        var latest = await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/latest");
        Assert.Empty(latest["values"]!.AsArray());
        Assert.StartsWith("refused ND", Detail(latest), StringComparison.Ordinal);
        using var platform = Host.Platform();
        var metrics = await platform.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("millwright_sparkplug_refusals_total{", StringComparison.Ordinal)
            && l.Contains("reason=\"nbirth-without-rebirth-metric\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_rebirth_metric_a_Tahu_node_and_its_device_report_cleanly()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var gauge = await Plant.CreateAsync(t);
        await using var tahu = StartTahu(t, plant, rebirthMetric: true, device: new
        {
            id = $"{gauge.Marker}-press",
            birth = new object[] { new { name = "power", type = "Double", value = 1.5 } },
            data = new object[] { new { name = "power", type = "Double", value = 7.25 } },
        });
        await tahu.ReadyAsync();

        var node = await LatestAsync(t, plant, l => Power(l) == 20.0);
        var device = await LatestAsync(t, gauge, l => Power(l) == 7.25);

        Assert.Equal("", Detail(node));
        Assert.True(device["connection"]!["online"]!.GetValue<bool>());
        Assert.Empty((await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/telemetry-flags")).AsArray());
    }

    [Fact]
    public async Task Only_a_tenant_admin_changes_the_strict_setting()
    {
        using var t = await Host.CreateTenantAsync();

        using var refused = await t.Operator.SendRawAsync(HttpMethod.Put, "/api/v1/sparkplug/settings", """{"strictBirths": true}""");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var put = await t.Admin.PutJsonAsync("/api/v1/sparkplug/settings", new { strictBirths = true }, HttpStatusCode.OK);

        Assert.True(put["strictBirths"]!.GetValue<bool>());
        Assert.True((await t.Viewer.GetJsonAsync("/api/v1/sparkplug/settings"))["strictBirths"]!.GetValue<bool>());
    }

    private TahuPeer StartTahu(TestTenant t, Plant plant, bool rebirthMetric, object? device = null) => TahuPeer.Start(new
    {
        url = $"mqtt://127.0.0.1:{Host.MqttPort}",
        username = plant.Username,
        password = plant.Secret,
        clientId = plant.Username,
        group = t.Slug,
        node = $"{plant.Marker}-press",
        rebirthMetric,
        birth = new object[] { new { name = "power", type = "Float", value = 12.5 } },
        data = new object[] { new { name = "power", type = "Float", value = 20.0 } },
        device,
    });

    private static Task<JsonNode> LatestAsync(TestTenant t, Plant plant, Func<JsonNode, bool> until) => Eventually.ValueAsync(
        () => t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/latest"), until, $"latest values of machine {plant.MachineId}");

    private static double? Power(JsonNode latest) =>
        latest["values"]!.AsArray().FirstOrDefault(v => v!["tag"]!.GetValue<string>() == "power")?["value"]!.GetValue<double>();

    private static string Detail(JsonNode latest) => latest["connection"]?["detail"]?.GetValue<string>() ?? "";

    public sealed class OnSqlite(MqttSqliteHost host) : TahuSparkplugTests(host), IClassFixture<MqttSqliteHost>;

    public sealed class OnPostgres(MqttPostgresHost host) : TahuSparkplugTests(host), IClassFixture<MqttPostgresHost>;
}
