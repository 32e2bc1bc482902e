using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Dashboard;

/// <summary>
/// A tenant's plant for the browser tests: a site, area and line, a type whose state comes from `power` and
/// `alarm_code` (down when the code is not 0), a type alarm rule on the code, and a machine created after the rule
/// (as when a plant engineer adds a machine to a type that is already watched), with its device credential.
/// </summary>
internal sealed class DashboardPlant : IDisposable
{
    private DashboardPlant(TestTenant tenant, string marker, long siteId, long lineId, long machineId, HttpClient device)
    {
        Tenant = tenant;
        Marker = marker;
        SiteId = siteId;
        LineId = lineId;
        MachineId = machineId;
        Device = device;
    }

    public TestTenant Tenant { get; }

    public string Marker { get; }

    public long SiteId { get; }

    public long LineId { get; }

    public long MachineId { get; }

    public string MachineName => $"{Marker}-press";

    public HttpClient Device { get; }

    public static async Task<DashboardPlant> CreateAsync(TestHost host)
    {
        var tenant = await host.CreateTenantAsync("dash");
        var marker = "d" + Guid.NewGuid().ToString("N")[..10];
        var op = tenant.Operator;
        var site = await op.PostJsonAsync("/api/v1/sites", new { name = $"{marker} site", timeZone = "UTC", latitude = 45.76, longitude = 4.84 }, HttpStatusCode.Created);
        var area = await op.PostJsonAsync("/api/v1/areas", new { siteId = site.Id(), name = $"{marker} area" }, HttpStatusCode.Created);
        var line = await op.PostJsonAsync("/api/v1/lines", new { areaId = area.Id(), name = $"{marker} line" }, HttpStatusCode.Created);
        var type = await op.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{marker} press",
            tags = new object[]
            {
                new { name = "power", unit = "kW", dataType = "float", min = 0, max = 500 },
                new { name = "alarm_code", dataType = "int" },
                new { name = "parts", unit = "count", dataType = "int", kind = "counter" },
                new { name = "latitude", unit = "deg", dataType = "float", min = -90, max = 90 },
                new { name = "longitude", unit = "deg", dataType = "float", min = -180, max = 180 },
            },
        }, HttpStatusCode.Created);
        await op.PutJsonAsync($"/api/v1/machine-types/{type.Id()}/state-rules", new
        {
            rules = new object[] { new { state = "down", when = "alarm_code != 0" }, new { state = "running", when = "power > 1" } },
            alarmTag = "alarm_code",
            alarmReasons = new Dictionary<string, string> { ["42"] = "spindle overload" },
            partCounter = "parts",
            idealCycleSeconds = 10,
        }, HttpStatusCode.OK);
        await op.PostJsonAsync("/api/v1/alarm-rules", new
        {
            name = "fault", machineTypeId = type.Id(), tag = "alarm_code", kind = "threshold", direction = "high", limit = 0,
            severity = "high", message = "{machine}: fault {value}",
        }, HttpStatusCode.Created);
        var machine = await op.PostJsonAsync("/api/v1/machines", new { lineId = line.Id(), typeId = type.Id(), name = $"{marker}-press" }, HttpStatusCode.Created);
        var credential = await op.PostJsonAsync($"/api/v1/machines/{machine.Id()}/credentials", new { }, HttpStatusCode.Created);
        var device = host.Client(null);
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{credential["username"]!.GetValue<string>()}:{credential["secret"]!.GetValue<string>()}")));
        return new DashboardPlant(tenant, marker, site.Id(), line.Id(), machine.Id(), device);
    }

    public async Task SendAsync(object values)
    {
        using var response = await Device.PostAsync("/api/v1/telemetry",
            new StringContent(JsonSerializer.Serialize(new { values }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public void Dispose()
    {
        Device.Dispose();
        Tenant.Dispose();
    }
}
