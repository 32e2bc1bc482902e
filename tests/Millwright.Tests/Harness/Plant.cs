using System.Net;

namespace Millwright.Tests.Harness;

/// <summary>One of everything a tenant owns, named with <see cref="Marker"/> so a leak shows in any response body.</summary>
public sealed record Plant(string Marker, long SiteId, long AreaId, long LineId, long TypeId, long MachineId, long CredentialId, string Username, string Secret, long ItemId)
{
    public static async Task<Plant> CreateAsync(TestTenant tenant)
    {
        var marker = "m" + Guid.NewGuid().ToString("N")[..12];
        var client = tenant.Operator;
        var site = await client.PostJsonAsync("/api/v1/sites", new { name = $"{marker} site", timeZone = "Europe/Berlin" }, HttpStatusCode.Created);
        var area = await client.PostJsonAsync("/api/v1/areas", new { siteId = site.Id(), name = $"{marker} area" }, HttpStatusCode.Created);
        var line = await client.PostJsonAsync("/api/v1/lines", new { areaId = area.Id(), name = $"{marker} line" }, HttpStatusCode.Created);
        var type = await client.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{marker} type",
            tags = new object[] { new { name = "power", unit = "kW", dataType = "float", min = 0, max = 500 } },
        }, HttpStatusCode.Created);
        var machine = await client.PostJsonAsync("/api/v1/machines", new { lineId = line.Id(), typeId = type.Id(), name = $"{marker}-press" }, HttpStatusCode.Created);
        var credential = await client.PostJsonAsync($"/api/v1/machines/{machine.Id()}/credentials", new { }, HttpStatusCode.Created);
        var item = await client.PostJsonAsync("/api/v1/inventory-items", new { sku = $"{marker}-bolt", name = $"{marker} bolt", unitCost = 0.5 }, HttpStatusCode.Created);
        await client.PostJsonAsync("/api/v1/inventory/movements", new { itemId = item.Id(), siteId = site.Id(), kind = "receipt", quantity = 100, note = marker }, HttpStatusCode.Created);
        await client.PutJsonAsync($"/api/v1/sites/{site.Id()}/calendar", new
        {
            shifts = new object[] { new { name = $"{marker} early", days = new[] { "mon", "tue" }, start = "06:00", end = "14:00" } },
        }, HttpStatusCode.OK);
        await client.PutJsonAsync($"/api/v1/machine-types/{type.Id()}/state-rules", new
        {
            rules = new object[] { new { state = "running", when = "power > 1" } },
            alarmReasons = new Dictionary<string, string> { ["7"] = $"{marker} reason" },
        }, HttpStatusCode.OK);
        return new Plant(marker, site.Id(), area.Id(), line.Id(), type.Id(), machine.Id(), credential.Id(),
            credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), item.Id());
    }
}
