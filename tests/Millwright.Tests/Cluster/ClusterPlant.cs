using System.Net;
using Millwright.Hosting;
using Millwright.Storage;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Cluster;

/// <summary>A tenant with one machine and its device credential, made through a node's REST API with the platform key.</summary>
internal sealed record ClusterPlant(long TenantId, string Slug, string OperatorKey, long MachineId, string MachineName, string Username, string Secret)
{
    public string TelemetryTopic => $"mw/{Slug}/{MachineName}/telemetry";

    public long LineId { get; init; }

    public long TypeId { get; init; }

    /// <summary>Another machine of the same line and type; returns its id.</summary>
    public async Task<long> AddMachineAsync(ClusterPeer node, string name)
    {
        using var client = node.Client(OperatorKey);
        return (await client.PostJsonAsync("/api/v1/machines", new { lineId = LineId, typeId = TypeId, name }, HttpStatusCode.Created)).Id();
    }

    /// <summary>The platform key of a fresh store, as a first start makes it.</summary>
    public static async Task<string> PlatformKeyAsync(IDatabase database)
    {
        var directory = Directory.CreateTempSubdirectory("mw-key-").FullName;
        try
        {
            var file = await PlatformBootstrap.EnsurePlatformKeyAsync(database, directory, TimeProvider.System, CancellationToken.None)
                ?? throw new InvalidOperationException("a fresh store must bootstrap a platform key");
            return await KeyFile.ReadAsync(file);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public static async Task<ClusterPlant> CreateAsync(ClusterPeer node, string platformKey)
    {
        var slug = $"c-{Guid.NewGuid():N}"[..20];
        using var platform = node.Client(platformKey);
        var tenant = (await platform.PostJsonAsync("/api/v1/tenants", new { slug, name = slug }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        var key = (await platform.PostJsonAsync($"/api/v1/tenants/{tenant}/api-keys", new { name = "operator", role = "operator", reason = "cluster test" }, HttpStatusCode.Created))["key"]!.GetValue<string>();
        using var client = node.Client(key);
        var site = await client.PostJsonAsync("/api/v1/sites", new { name = "site", timeZone = "UTC" }, HttpStatusCode.Created);
        var area = await client.PostJsonAsync("/api/v1/areas", new { siteId = site.Id(), name = "area" }, HttpStatusCode.Created);
        var line = await client.PostJsonAsync("/api/v1/lines", new { areaId = area.Id(), name = "line" }, HttpStatusCode.Created);
        var type = await client.PostJsonAsync("/api/v1/machine-types", new
        {
            name = "press",
            tags = new object[] { new { name = "power", unit = "kW", dataType = "float", min = 0, max = 500 } },
        }, HttpStatusCode.Created);
        var machine = await client.PostJsonAsync("/api/v1/machines", new { lineId = line.Id(), typeId = type.Id(), name = "press-1" }, HttpStatusCode.Created);
        var credential = await client.PostJsonAsync($"/api/v1/machines/{machine.Id()}/credentials", new { }, HttpStatusCode.Created);
        return new ClusterPlant(tenant, slug, key, machine.Id(), "press-1", credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>())
        {
            LineId = line.Id(),
            TypeId = type.Id(),
        };
    }
}
