using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Sharing;

/// <summary>
/// A tenant taking part in the marketplace: its own site (at the given coordinates, UTC, around the clock unless a
/// calendar is set), one machine with the given capabilities, named with a marker so that a leak shows in any body.
/// </summary>
public sealed class Party(TestTenant tenant, string marker, long siteId, long machineId, string machineName) : IDisposable
{
    public TestTenant Tenant { get; } = tenant;

    public string Marker { get; } = marker;

    public long SiteId { get; } = siteId;

    public long MachineId { get; } = machineId;

    public string MachineName { get; } = machineName;

    public static async Task<Party> CreateAsync(TestHost host, double latitude, double longitude, params string[] capabilities)
    {
        var tenant = await host.CreateTenantAsync("sh");
        var marker = "s" + Guid.NewGuid().ToString("N")[..10];
        var client = tenant.Admin;
        var site = await client.PostJsonAsync("/api/v1/sites", new { name = $"{marker} works", timeZone = "UTC", latitude, longitude }, HttpStatusCode.Created);
        var area = await client.PostJsonAsync("/api/v1/areas", new { siteId = site.Id(), name = $"{marker} hall" }, HttpStatusCode.Created);
        var line = await client.PostJsonAsync("/api/v1/lines", new { areaId = area.Id(), name = $"{marker} line" }, HttpStatusCode.Created);
        var type = await client.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{marker} mill type",
            tags = new object[] { new { name = "power", unit = "kW", dataType = "float", min = 0, max = 500 } },
        }, HttpStatusCode.Created);
        var machineName = $"{marker}-secret-mill";
        var machine = await client.PostJsonAsync("/api/v1/machines", new { lineId = line.Id(), typeId = type.Id(), name = machineName }, HttpStatusCode.Created);
        if (capabilities.Length > 0)
        {
            await client.PutJsonAsync($"/api/v1/machines/{machine.Id()}/capabilities", new { capabilities }, HttpStatusCode.OK);
        }

        return new Party(tenant, marker, site.Id(), machine.Id(), machineName);
    }

    /// <summary>Publishes the machine with sensible terms; <paramref name="change"/> edits the body before it is sent.</summary>
    public async Task<JsonNode> OfferAsync(string process, double rate = 80, double minimumCharge = 100, Action<JsonObject>? change = null,
        HttpStatusCode expected = HttpStatusCode.Created)
    {
        var body = OfferBody(MachineId, process, rate, minimumCharge);
        change?.Invoke(body);
        return await Tenant.Admin.PostJsonAsync("/api/v1/sharing/offers", body, expected);
    }

    public static JsonObject OfferBody(long machineId, string process, double rate = 80, double minimumCharge = 100) => new()
    {
        ["machineId"] = machineId,
        ["processes"] = new JsonArray(process),
        ["materials"] = new JsonArray(new JsonObject { ["name"] = "Aluminium 6082", ["pricePerKg"] = 6.5 }, new JsonObject { ["name"] = "Steel S235", ["pricePerKg"] = 1.8 }),
        ["envelopeMm"] = new JsonObject { ["x"] = 800, ["y"] = 500, ["z"] = 400 },
        ["toleranceMm"] = 0.01,
        ["certifications"] = new JsonArray("ISO 9001"),
        ["hourlyRate"] = rate,
        ["minimumCharge"] = minimumCharge,
        ["transportPerKm"] = 1.2,
        ["marginPercent"] = 10,
        ["horizonDays"] = 14,
        ["reserveMinutes"] = 30,
    };

    /// <summary>A request for <paramref name="quantity"/> parts of one step, due after <paramref name="due"/>.</summary>
    public async Task<JsonNode> RequestAsync(string process, DateTimeOffset due, long quantity = 10, double unitSeconds = 60, double setupMinutes = 20,
        Action<JsonObject>? change = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var body = new JsonObject
        {
            ["title"] = $"{Marker} brackets",
            ["steps"] = new JsonArray(new JsonObject { ["process"] = process, ["setupMinutes"] = setupMinutes, ["unitSeconds"] = unitSeconds }),
            ["material"] = "aluminium 6082",
            ["partMassKg"] = 0.4,
            ["quantity"] = quantity,
            ["toleranceMm"] = 0.05,
            ["partSizeMm"] = new JsonObject { ["x"] = 120, ["y"] = 450, ["z"] = 30 },
            ["certifications"] = new JsonArray("iso 9001"),
            ["dueAt"] = due,
            ["budget"] = 5000,
            ["maxDistanceKm"] = 300,
            ["location"] = new JsonObject { ["latitude"] = 48.74, ["longitude"] = 9.31 },
            ["responseHours"] = 4,
        };
        change?.Invoke(body);
        return await Tenant.Operator.PostJsonAsync("/api/v1/sharing/requests", body, expected);
    }

    public async Task<IReadOnlyList<string>> AuditSummariesAsync() =>
        (await Tenant.Admin.GetJsonAsync("/api/v1/audit?limit=500"))["items"]!.AsArray()
            .Select(e => $"{e!["action"]!.GetValue<string>()} {e["entity"]!.GetValue<string>()}: {e["summary"]!.GetValue<string>()}").ToList();

    public void Dispose() => Tenant.Dispose();
}
