using Dapper;
using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>The <c>orders</c> table.</summary>
internal static partial class ProductionStore
{
    private const string OrderColumns =
        "o.id, o.number, o.customer, o.item_id, i.sku AS item, o.site_id, o.quantity, o.due_at, o.priority, o.customization, o.status, o.problem, " +
        "o.eta_at, o.good, o.scrap, o.created_at, o.released_at, o.completed_at, o.erp_number";

    private const string OrderFrom = "orders o JOIN inventory_items i ON i.tenant_id = o.tenant_id AND i.id = o.item_id";

    /// <summary>A page of orders after <paramref name="after"/>, one more than <paramref name="limit"/> to tell whether more follow.</summary>
    public static Task<IReadOnlyList<OrderRow>> OrdersAsync(Session s, string? status, long? siteId, long after, int limit) =>
        s.QueryAsync<OrderRow>(
            $"""
            SELECT {OrderColumns} FROM {OrderFrom}
            WHERE o.tenant_id = @Tenant AND o.id > @after AND (@status IS NULL OR o.status = @status) AND (@siteId IS NULL OR o.site_id = @siteId)
            ORDER BY o.id LIMIT @take
            """,
            new { s.Tenant, after, status, siteId, take = limit + 1 });

    public static Task<OrderRow?> OrderAsync(Session s, long id) =>
        s.QueryOneAsync<OrderRow>($"SELECT {OrderColumns} FROM {OrderFrom} WHERE o.tenant_id = @Tenant AND o.id = @id", new { s.Tenant, id });

    /// <summary>Released and in-progress orders with all their jobs.</summary>
    public static async Task<List<PlanOrder>> OpenOrdersAsync(Session s)
    {
        var orders = await s.QueryAsync<OrderRow>(
            $"SELECT {OrderColumns} FROM {OrderFrom} WHERE o.tenant_id = @Tenant AND o.status IN {Open} ORDER BY o.id", new { s.Tenant });
        var jobs = await JobsOfAsync(s, orders.Select(o => o.Id).ToList());
        return orders.Select(o => new PlanOrder(o, jobs.GetValueOrDefault(o.Id, []))).ToList();
    }

    /// <summary>Tenants with released or in-progress orders, across tenants: what the planner plans after a restart.</summary>
    public static async Task<IReadOnlyList<long>> TenantsWithOpenOrdersAsync(Storage.IDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT DISTINCT tenant_id FROM orders WHERE status IN {Open}", cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>A new planned order; returns its id. A duplicate number fails the guard with <paramref name="duplicate"/>.</summary>
    public static Task<long> InsertOrderAsync(Session s, string number, string customer, long itemId, long siteId, long quantity, long dueAt, int priority, string? customization, string duplicate) =>
        s.GuardAsync(
            () => s.ScalarAsync<long>(
                $"""
                INSERT INTO orders (tenant_id, number, customer, item_id, site_id, quantity, due_at, priority, customization, status, created_at)
                VALUES (@Tenant, @number, @customer, @itemId, @siteId, @quantity, @dueAt, @priority, @customization, {Planned}, @Now) RETURNING id
                """,
                new { s.Tenant, number, customer, itemId, siteId, quantity, dueAt, priority, customization, s.Now }),
            duplicate);

    public static Task RenumberOrderAsync(Session s, long id, string number, string duplicate) =>
        s.GuardAsync(() => s.ExecuteAsync("UPDATE orders SET number = @number WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, number, id }), duplicate);

    public static Task ReleaseOrderAsync(Session s, long id) =>
        s.ExecuteAsync($"UPDATE orders SET status = {Released}, released_at = @Now WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id, s.Now });

    /// <summary>The first job of a released order went to a machine.</summary>
    public static Task StartOrderAsync(Session s, long id) =>
        s.ExecuteAsync($"UPDATE orders SET status = {InProgress} WHERE tenant_id = @Tenant AND id = @id AND status = {Released}", new { s.Tenant, id });

    /// <summary>What the last plan says of the order: when it ends, or why it cannot be planned.</summary>
    public static Task ForecastOrderAsync(Session s, long id, long? eta, string? problem) =>
        s.ExecuteAsync("UPDATE orders SET eta_at = @eta, problem = @problem WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id, eta, problem });

    /// <summary>Completes the order now with <paramref name="good"/> units and the scrap of all its jobs; returns that scrap.</summary>
    public static async Task<long> CompleteOrderAsync(Session s, long id, long good)
    {
        var scrap = await s.ScalarAsync<long>("SELECT COALESCE(SUM(scrap), 0) FROM jobs WHERE tenant_id = @Tenant AND order_id = @id", new { s.Tenant, id });
        await s.ExecuteAsync(
            $"UPDATE orders SET status = {Completed}, completed_at = @Now, eta_at = @Now, good = @good, scrap = @scrap, problem = NULL WHERE tenant_id = @Tenant AND id = @id",
            new { s.Tenant, s.Now, good, scrap, id });
        return scrap;
    }

    /// <summary>Cancels the order and every job of it not done, ending the started ones now.</summary>
    public static async Task CancelOrderAsync(Session s, long id)
    {
        await s.ExecuteAsync(
            $"UPDATE jobs SET status = {JobCancelled}, ended_at = CASE WHEN started_at IS NULL THEN NULL ELSE @Now END WHERE tenant_id = @Tenant AND order_id = @id AND status <> {Done}",
            new { s.Tenant, id, s.Now });
        await s.ExecuteAsync($"UPDATE orders SET status = {OrderCancelled}, eta_at = NULL, completed_at = NULL WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
    }

    /// <summary>Orders completed in [from, to): when released (or created), completed and due.</summary>
    public static Task<IReadOnlyList<(long ReleasedAt, long CompletedAt, long DueAt)>> CompletedOrdersAsync(Session s, long from, long to, long? siteId) =>
        s.QueryAsync<(long ReleasedAt, long CompletedAt, long DueAt)>(
            $"""
            SELECT COALESCE(released_at, created_at), completed_at, due_at FROM orders
            WHERE tenant_id = @Tenant AND status = {Completed} AND completed_at >= @from AND completed_at < @to AND (@siteId IS NULL OR site_id = @siteId)
            """,
            new { s.Tenant, from, to, siteId });

    /// <summary>Open orders' quantities and good units so far.</summary>
    public static Task<IReadOnlyList<(long Quantity, long Good)>> OpenOrderUnitsAsync(Session s, long? siteId) =>
        s.QueryAsync<(long Quantity, long Good)>(
            $"SELECT quantity, good FROM orders WHERE tenant_id = @Tenant AND status IN {Open} AND (@siteId IS NULL OR site_id = @siteId)",
            new { s.Tenant, siteId });
}
