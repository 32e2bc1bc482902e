using Millwright.Api;
using Millwright.Features.ApiKeys;
using Millwright.Features.DeviceCredentials;
using Millwright.Features.PlantFiles;
using Millwright.Features.Tenants;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Bench;

/// <summary>A load run's tenant: a plant file imported, a device credential per machine, and a viewer key, in one transaction.</summary>
internal static class BenchTenant
{
    public static async Task<(IReadOnlyList<(string Machine, string User, string Secret)> Devices, string ViewerKey, long TenantId)> ProvisionAsync(
        IDatabase database, string tenantSlug, string plantYaml, string keyName, CancellationToken ct)
    {
        var plant = PlantImporter.Parse("bench.yaml", new StringReader(plantYaml));
        var sessions = new Sessions(database, TimeProvider.System);
        return await sessions.RunAsync(Caller.CommandLine(null), async s =>
        {
            await PlantImporter.ImportAsync(s, plant);
            var tenant = await Tenants.FindBySlugAsync(s, tenantSlug);
            var machines = await s.QueryAsync<(long Id, string Name)>("SELECT id, name FROM machines WHERE tenant_id = @id ORDER BY name", new { id = tenant!.Id });
            var tenantSession = s.ActingFor(Caller.CommandLine(tenant.Id));
            var issued = new List<(string, string, string)>();
            foreach (var (id, name) in machines)
            {
                var credential = await DeviceCredentials.IssueAsync(tenantSession, id);
                issued.Add((name, credential.Username, credential.Secret));
            }

            var key = await ApiKeys.CreateAsync(s, tenant.Id, new ApiKeyInput(keyName, Role.Viewer.ToWire()));
            return ((IReadOnlyList<(string, string, string)>)issued, key.Key, tenant.Id);
        }, ct);
    }
}
