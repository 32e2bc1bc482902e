using System.Globalization;
using Millwright.Api;

namespace Millwright.Features.Live;

/// <summary>
/// Resolves what a subscription names to the caller's machines, in the caller's tenant only: an id of
/// another tenant is found exactly as often as an id that does not exist, which is never.
/// </summary>
internal static class LiveRegistry
{
    /// <summary>The machines of each named line and site (found ones only), and the ids not found in the tenant.</summary>
    public static async Task<LiveResolution> ResolveAsync(Session s, LiveSelection selection)
    {
        var machines = selection.Machines.Count == 0
            ? []
            : (await s.QueryAsync<long>($"SELECT id FROM machines WHERE tenant_id = @Tenant AND id IN ({IdList(selection.Machines)})", new { s.Tenant })).ToHashSet();
        var lines = await ChildrenAsync(s, selection.Lines,
            """
            SELECT l.id AS Owner, m.id AS Machine FROM lines l
            LEFT JOIN machines m ON m.tenant_id = l.tenant_id AND m.line_id = l.id
            WHERE l.tenant_id = @Tenant AND l.id IN ({0})
            """);
        var sites = await ChildrenAsync(s, selection.Sites,
            """
            SELECT st.id AS Owner, m.id AS Machine FROM sites st
            LEFT JOIN areas a ON a.tenant_id = st.tenant_id AND a.site_id = st.id
            LEFT JOIN lines l ON l.tenant_id = a.tenant_id AND l.area_id = a.id
            LEFT JOIN machines m ON m.tenant_id = l.tenant_id AND m.line_id = l.id
            WHERE st.tenant_id = @Tenant AND st.id IN ({0})
            """);
        var notFound = new LiveSelection(
            [.. selection.Machines.Where(id => !machines.Contains(id))],
            [.. selection.Lines.Where(id => !lines.ContainsKey(id))],
            [.. selection.Sites.Where(id => !sites.ContainsKey(id))]);
        return new LiveResolution(machines, lines, sites, notFound);
    }

    private static async Task<Dictionary<long, HashSet<long>>> ChildrenAsync(Session s, IReadOnlyList<long> ids, string sql)
    {
        var found = new Dictionary<long, HashSet<long>>();
        if (ids.Count == 0)
        {
            return found;
        }

        foreach (var row in await s.QueryAsync<OwnedMachine>(string.Format(CultureInfo.InvariantCulture, sql, IdList(ids)), new { s.Tenant }))
        {
            if (!found.TryGetValue(row.Owner, out var machines))
            {
                found[row.Owner] = machines = [];
            }

            if (row.Machine is { } machine)
            {
                machines.Add(machine);
            }
        }

        return found;
    }

    /// <summary>
    /// The ids written into the statement: they are parsed 64-bit integers, so nothing but digits and commas
    /// can reach the SQL, and one text serves both stores (Dapper passes a list to Npgsql as one array).
    /// </summary>
    private static string IdList(IReadOnlyList<long> ids) => string.Join(",", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));

    private sealed class OwnedMachine
    {
        public long Owner { get; set; }
        public long? Machine { get; set; }
    }
}
