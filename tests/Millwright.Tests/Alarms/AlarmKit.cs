using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Alarms;

/// <summary>
/// One tenant with a plant and its device, posting telemetry through the real HTTP ingest. <see cref="SyncAsync"/>
/// posts a marker and waits until the twin shows it: the pipeline has one consumer, so everything posted before
/// has then been evaluated by the alarm engine.
/// </summary>
internal sealed class AlarmKit : IDisposable
{
    private int _sync;

    private AlarmKit(TestHost host, TestTenant tenant, Plant plant)
    {
        Host = host;
        Tenant = tenant;
        Plant = plant;
        Device = host.Client(null);
        Device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{plant.Username}:{plant.Secret}")));
    }

    public TestHost Host { get; }

    public TestTenant Tenant { get; }

    public Plant Plant { get; }

    public HttpClient Device { get; }

    public static async Task<AlarmKit> CreateAsync(TestHost host)
    {
        var tenant = await host.CreateTenantAsync();
        return new AlarmKit(host, tenant, await Plant.CreateAsync(tenant));
    }

    /// <summary>Posts one set of values, at device time <paramref name="ts"/> (epoch ms) or the server's time.</summary>
    public async Task SendAsync(object values, long? ts = null)
    {
        var json = JsonSerializer.Serialize(ts is null ? new { values } : (object)new { ts, values });
        using var response = await Device.PostAsync("/api/v1/telemetry", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public async Task SyncAsync()
    {
        var marker = ++_sync;
        await SendAsync(new { sync_marker = marker });
        await Eventually.ValueAsync(
            () => Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{Plant.MachineId}/latest"),
            latest => latest["values"]!.AsArray().Any(v => v!["tag"]!.GetValue<string>() == "sync_marker" && v["value"]!.GetValue<double>() == marker),
            $"the pipeline to take marker {marker}");
    }

    public Task<JsonNode> RuleAsync(object rule) => Tenant.Operator.PostJsonAsync("/api/v1/alarm-rules", rule, HttpStatusCode.Created);

    /// <summary>Waits (with a deadline, never a fixed time) for an alarm of this tenant that matches.</summary>
    public async Task<JsonNode> WaitForAlarmAsync(Func<JsonNode, bool> match, string because)
    {
        var alarms = await Eventually.ValueAsync(
            () => Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"), all => all.Any(a => match(a!)), $"an alarm {because}");
        return alarms.First(a => match(a!))!;
    }

    public Task<JsonNode> WaitForStateAsync(long alarmId, string state) =>
        WaitForAlarmAsync(a => a.Id() == alarmId && a["state"]!.GetValue<string>() == state, $"{alarmId} in state {state}");

    public async Task<string[]> EventKindsAsync(long alarmId) =>
        (await Tenant.Viewer.ListAsync($"/api/v1/alarms/{alarmId}/events")).Select(e => e!["kind"]!.GetValue<string>()).ToArray();

    public void Dispose()
    {
        Device.Dispose();
        Tenant.Dispose();
    }
}
