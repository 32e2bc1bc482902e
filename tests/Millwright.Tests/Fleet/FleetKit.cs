using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary>
/// A tenant with one excavator that reports every AEMP tag through the real HTTP ingest, registered as fleet
/// equipment; reads the ISO 15143-3 API as XML or JSON.
/// </summary>
internal sealed class FleetKit : IDisposable
{
    public static readonly XNamespace Iso = "http://standards.iso.org/iso/15143/-3";

    /// <summary>The telemetry tags of a fleet machine (docs/fleet.md), as a machine type declares them.</summary>
    private static readonly object[] Tags =
    [
        Tag("latitude", "deg", min: -90, max: 90), Tag("longitude", "deg", min: -180, max: 180), Tag("altitude", "m"),
        Tag("engine_hours", "h", counter: true), Tag("idle_hours", "h", counter: true), Tag("odometer", "km", counter: true),
        new { name = "engine_running", dataType = "bool" },
        Tag("fuel_used", "l", counter: true), Tag("fuel_level", "%", min: 0, max: 100), Tag("def_level", "%", min: 0, max: 100),
        Tag("load_count", "count", counter: true), Tag("payload_total", "t", counter: true), Tag("load_factor", "%", min: 0, max: 100),
        Tag("pto_hours", "h", counter: true),
        new { name = "fault_code", dataType = "int" }, new { name = "fault_fmi", dataType = "int" }, new { name = "fault_severity", dataType = "int" },
        new { name = "caution_code", dataType = "int" }, new { name = "caution_severity", dataType = "int" },
    ];

    private FleetKit(TestTenant tenant, long machineId, string name, HttpClient device, long lineId, long typeId)
    {
        LineId = lineId;
        TypeId = typeId;
        Tenant = tenant;
        MachineId = machineId;
        Name = name;
        Device = device;
    }

    public TestTenant Tenant { get; }

    public long LineId { get; }

    public long TypeId { get; }

    public long MachineId { get; }

    public string Name { get; }

    public HttpClient Device { get; }

    public static async Task<FleetKit> CreateAsync(TestHost host, string serial = "EX-0001")
    {
        var tenant = await host.CreateTenantAsync("fleet");
        var client = tenant.Operator;
        var site = await client.PostJsonAsync("/api/v1/sites", new { name = "Job site", timeZone = "UTC" }, HttpStatusCode.Created);
        var area = await client.PostJsonAsync("/api/v1/areas", new { siteId = site.Id(), name = "Earthworks" }, HttpStatusCode.Created);
        var line = await client.PostJsonAsync("/api/v1/lines", new { areaId = area.Id(), name = "Excavators" }, HttpStatusCode.Created);
        var type = await client.PostJsonAsync("/api/v1/machine-types", new { name = "Excavator", tags = Tags }, HttpStatusCode.Created);
        var name = "exc-" + serial.ToLowerInvariant();
        var machine = await client.PostJsonAsync("/api/v1/machines", new { lineId = line.Id(), typeId = type.Id(), name }, HttpStatusCode.Created);
        var credential = await client.PostJsonAsync($"/api/v1/machines/{machine.Id()}/credentials", new { }, HttpStatusCode.Created);
        await client.PutJsonAsync($"/api/v1/machines/{machine.Id()}/equipment", new { oemName = "Millwright Heavy", model = "MX-250", serialNumber = serial, pin = "MWH0MX250" + serial }, HttpStatusCode.OK);
        var device = host.Client(null);
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential["username"]!.GetValue<string>()}:{credential["secret"]!.GetValue<string>()}")));
        return new FleetKit(tenant, machine.Id(), name, device, line.Id(), type.Id());
    }

    /// <summary>Posts readings at device time <paramref name="ts"/> (epoch ms); 202 means committed and in the twin.</summary>
    public async Task SendAsync(long ts, object values)
    {
        var json = JsonSerializer.Serialize(new { ts, values });
        using var response = await Device.PostAsync("/api/v1/telemetry", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts many messages in one request, as a gateway forwarding its buffer would.</summary>
    public async Task SendManyAsync(IEnumerable<(long Ts, object Values)> messages)
    {
        var json = JsonSerializer.Serialize(messages.Select(m => new { ts = m.Ts, values = m.Values }));
        using var response = await Device.PostAsync("/api/v1/telemetry", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    public static async Task<XDocument> XmlAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/xml");
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        return XDocument.Parse(body);
    }

    public static async Task<JsonNode> JsonAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return JsonNode.Parse(body)!;
    }

    public static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static object Tag(string name, string unit, bool counter = false, double? min = null, double? max = null) =>
        new { name, unit, dataType = "float", kind = counter ? "counter" : "gauge", min, max };

    public void Dispose()
    {
        Device.Dispose();
        Tenant.Dispose();
    }
}
