using Millwright.Api;
using Millwright.Features.States;

namespace Millwright.Features.Production;

/// <summary>
/// Every SQL statement on production's tables (orders, jobs, job_runs), split by table into partial files, plus
/// the planner's reads of machines and stock. Each runs in the caller's session, so it is scoped to the caller's
/// tenant; the two that span tenants (the planner's memory after a restart) open their own connection.
/// Status words are written into SQL only through the literals below, built from <see cref="JobStatus"/> and
/// <see cref="OrderStatus"/>, so the vocabulary lives in one place.
/// </summary>
internal static partial class ProductionStore
{
    private const string Waiting = $"'{JobStatus.Waiting}'";
    private const string Dispatched = $"'{JobStatus.Dispatched}'";
    private const string Running = $"'{JobStatus.Running}'";
    private const string Done = $"'{JobStatus.Done}'";
    private const string JobCancelled = $"'{JobStatus.Cancelled}'";

    /// <summary>Jobs a machine holds (<see cref="JobStatus.IsActive"/>).</summary>
    private const string Held = $"({Dispatched}, {Running})";

    private const string Planned = $"'{OrderStatus.Planned}'";
    private const string Released = $"'{OrderStatus.Released}'";
    private const string InProgress = $"'{OrderStatus.InProgress}'";
    private const string Completed = $"'{OrderStatus.Completed}'";
    private const string OrderCancelled = $"'{OrderStatus.Cancelled}'";

    /// <summary>Orders the planner works on (<see cref="OrderStatus.IsOpen"/>).</summary>
    private const string Open = $"({Released}, {InProgress})";

    /// <summary>
    /// The tenant's machines that have a capability, with their site and whether work may go to them: not when
    /// down or offline (<paramref name="states"/> holds what the tracker said since the store last heard).
    /// </summary>
    public static async Task<List<PlanMachine>> MachinesAsync(Session s, IReadOnlyDictionary<long, string> states)
    {
        var rows = await s.QueryAsync<(long Id, string Name, long SiteId, string Capability, string? State)>(
            """
            SELECT m.id, m.name, a.site_id, c.capability, st.state
            FROM machine_capabilities c
            JOIN machines m ON m.tenant_id = c.tenant_id AND m.id = c.machine_id
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            LEFT JOIN machine_states st ON st.tenant_id = m.tenant_id AND st.machine_id = m.id AND st.end_at IS NULL
            WHERE c.tenant_id = @Tenant ORDER BY m.id
            """,
            new { s.Tenant });
        return rows.GroupBy(r => r.Id).Select(g =>
        {
            var first = g.First();
            var state = states.GetValueOrDefault(first.Id) ?? first.State;
            return new PlanMachine(first.Id, first.Name, first.SiteId, g.Select(r => r.Capability).ToHashSet(StringComparer.Ordinal), IsAvailable(state));
        }).ToList();
    }

    /// <summary>Work may go to a machine that is not down or offline; one never heard from is given the benefit of the doubt.</summary>
    public static bool IsAvailable(string? state) => state is not (MachineStateNames.Down or MachineStateNames.Offline);

    public static async Task<string> TenantSlugAsync(Session s) =>
        await s.ScalarAsync<string>("SELECT slug FROM tenants WHERE id = @Tenant", new { s.Tenant });

    /// <summary>What the site holds of an item: receipts less issues.</summary>
    public static async Task<double> StockAsync(Session s, long itemId, long siteId) =>
        await s.ScalarAsync<double?>(
            "SELECT SUM(CASE WHEN kind = 'receipt' THEN quantity ELSE -quantity END) FROM inventory_movements WHERE tenant_id = @Tenant AND item_id = @itemId AND site_id = @siteId",
            new { s.Tenant, itemId, siteId }) ?? 0;

    /// <summary>
    /// Issues up to <paramref name="quantity"/> of an item at a site, never taking stock below zero; returns the
    /// shortfall (what could not be issued), which the caller reports.
    /// </summary>
    public static async Task<double> IssueAsync(Session s, long itemId, long siteId, double quantity, string note)
    {
        var issued = Math.Min(quantity, Math.Max(0, await StockAsync(s, itemId, siteId)));
        if (issued > 0)
        {
            await MoveAsync(s, itemId, siteId, "issue", issued, note);
        }

        return quantity - issued;
    }

    public static async Task MoveAsync(Session s, long itemId, long siteId, string kind, double quantity, string note) =>
        await s.ExecuteAsync(
            """
            INSERT INTO inventory_movements (tenant_id, item_id, site_id, kind, quantity, unit_cost, at, note, created_by)
            SELECT @Tenant, @itemId, @siteId, @kind, @quantity, unit_cost, @Now, @note, @Actor FROM inventory_items WHERE tenant_id = @Tenant AND id = @itemId
            """,
            new { s.Tenant, itemId, siteId, kind, quantity, s.Now, note, s.Caller.Actor });
}
