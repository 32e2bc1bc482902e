using Millwright.Api;
using Millwright.Scheduling.Model;

namespace Millwright.Features.Production;

/// <summary>
/// Orders and the jobs they expand into. Creating copies the item's routing into one job per operation;
/// releasing hands the order to the planner once every operation has a capable machine at the order's site
/// and the site holds the materials; cancelling stops its jobs (the planner tells machines that held one).
/// </summary>
internal static class Orders
{
    public const long MaxQuantity = 1_000_000;

    public static async Task<Page<OrderDto>> ListAsync(Session s, OrderQuery query, PageRequest page)
    {
        if (query.Status is { } status && !OrderStatus.All.Contains(status))
        {
            throw ApiProblem.Invalid("status", $"must be one of {string.Join(", ", OrderStatus.All)}");
        }

        var rows = await ProductionStore.OrdersAsync(s, query.Status, query.SiteId, page.After, page.Limit);
        var jobs = await ProductionStore.JobsOfAsync(s, rows.Take(page.Limit).Select(r => r.Id).ToList());
        return page.ToPage(rows, r => r.Id, r => r.AsDto(jobs.GetValueOrDefault(r.Id, []), withJobs: false));
    }

    public static async Task<OrderDto> GetAsync(Session s, long id)
    {
        var row = await FindAsync(s, id) ?? throw ApiProblem.NotFound("order", id);
        var jobs = await ProductionStore.JobsOfAsync(s, [id]);
        return row.AsDto(jobs.GetValueOrDefault(id, []), withJobs: true);
    }

    public static Task<OrderRow?> FindAsync(Session s, long id) => ProductionStore.OrderAsync(s, id);

    public static async Task<OrderDto> CreateAsync(Session s, OrderInput input)
    {
        var v = new Validator();
        var number = input.Number is null ? null : v.Name("number", input.Number);
        var customer = v.Name("customer", input.Customer);
        var itemId = v.Id("itemId", input.ItemId);
        var siteId = v.Id("siteId", input.SiteId);
        if (input.Quantity is not (> 0 and <= MaxQuantity))
        {
            v.Add("quantity", $"is required and must be 1..{MaxQuantity:N0} units");
        }

        var due = input.DueAt?.ToUnixTimeMilliseconds();
        if (due is null)
        {
            v.Add("dueAt", "is required (an ISO 8601 time with its offset)");
        }
        else if (due < s.Now - 60_000 || due > s.Now + (5L * 366 * 86_400_000))
        {
            v.Add("dueAt", "must lie in the future, within five years");
        }

        var priority = input.Priority ?? 10;
        if (priority is < 1 or > 100)
        {
            v.Add("priority", "must be 1 (lowest) to 100");
        }

        var customization = input.Customization is { } c ? c.GetRawText() : null;
        if (customization is { Length: > 64 * 1024 })
        {
            v.Add("customization", "must be at most 64 KiB of JSON");
        }

        v.ThrowIfInvalid();
        await s.RequireReferenceAsync("inventory_items", "itemId", "item", itemId);
        await s.RequireReferenceAsync("sites", "siteId", "site", siteId);
        var routing = await Routings.FindAsync(s, itemId) ?? throw ApiProblem.Invalid("itemId", $"item {itemId} has no routing (PUT /api/v1/items/{itemId}/routing)");
        var quantity = input.Quantity!.Value;
        for (var i = 0; i < routing.Operations.Count; i++)
        {
            var op = routing.Operations[i];
            var seconds = op.SetupSeconds + (quantity * op.UnitSeconds);
            if (seconds > ShopInstance.MaxTime)
            {
                throw ApiProblem.Invalid("quantity", $"{quantity} units take {seconds:0} s at operation '{op.Id}', more than the planner's {ShopInstance.MaxTime:N0} s (about 3 years)");
            }
        }

        var id = await ProductionStore.InsertOrderAsync(s, number ?? $"new-{Guid.NewGuid():N}", customer, itemId, siteId, quantity, due!.Value, priority, customization,
            $"An order numbered '{number}' already exists.");
        if (number is null)
        {
            number = $"SO-{id}";
            await ProductionStore.RenumberOrderAsync(s, id, number, $"An order numbered '{number}' already exists; give the order a number.");
        }

        for (var i = 0; i < routing.Operations.Count; i++)
        {
            var op = routing.Operations[i];
            await ProductionStore.InsertJobAsync(s, id, i, $"{op.Id} {op.Name}".Trim(), op.Capability, op.Program,
                (long)Math.Round(op.SetupSeconds * 1000), Math.Max(1, (long)Math.Round(op.UnitSeconds * 1000)), quantity,
                op.Machines is null ? null : JobRow.ToJson(op.Machines), op.Materials.Count == 0 ? null : JobRow.ToJson(op.Materials));
        }

        await s.AuditAsync("create", "order", id, $"order {number}: {quantity} × item {itemId} for {customer}, due {input.DueAt:O}");
        if (input.Release == true)
        {
            await ReleaseAsync(s, id);
        }

        return await GetAsync(s, id);
    }

    /// <summary>Hands a planned order to the planner; refused, naming the operation or material, when it could not be made.</summary>
    public static async Task<OrderDto> ReleaseAsync(Session s, long id)
    {
        var order = await FindAsync(s, id) ?? throw ApiProblem.NotFound("order", id);
        if (order.Status != OrderStatus.Planned)
        {
            throw ApiProblem.Conflict($"Order {order.Number} is {order.Status}; only a planned order can be released.");
        }

        var jobs = (await ProductionStore.JobsOfAsync(s, [id])).GetValueOrDefault(id, []);
        var needs = new Dictionary<long, double>();
        foreach (var job in jobs)
        {
            var capable = await Capabilities.MachinesWithAsync(s, job.Capability, order.SiteId);
            if (!capable.Any(m => job.AllowedMachines?.Contains(m) ?? true))
            {
                throw ApiProblem.Conflict($"No machine at site {order.SiteId} can run operation '{job.Operation}' of order {order.Number}: it needs '{job.Capability}'"
                    + (job.AllowedMachines is { } allowed ? $" on one of machines {string.Join(", ", allowed)}" : "") + ".");
            }

            foreach (var material in job.MaterialList)
            {
                needs[material.ItemId] = needs.GetValueOrDefault(material.ItemId) + (material.Quantity * job.Quantity);
            }
        }

        foreach (var (itemId, needed) in needs)
        {
            var stock = await ProductionStore.StockAsync(s, itemId, order.SiteId);
            if (stock < needed - 1e-9)
            {
                var item = await Inventory.InventoryItems.GetAsync(s, itemId);
                throw ApiProblem.Conflict($"Order {order.Number} needs {needed:0.###} {item.Unit} of '{item.Sku}' at site {order.SiteId}; the site holds {stock:0.###}.");
            }
        }

        await ProductionStore.ReleaseOrderAsync(s, id);
        await s.AuditAsync("release", "order", id, $"released order {order.Number}");
        return await GetAsync(s, id);
    }

    /// <summary>Cancels an open or planned order; returns the jobs machines were holding, so they can be told.</summary>
    public static async Task<(OrderDto Order, IReadOnlyList<JobRow> Held)> CancelAsync(Session s, long id)
    {
        var order = await FindAsync(s, id) ?? throw ApiProblem.NotFound("order", id);
        if (order.Status is OrderStatus.Completed or OrderStatus.Cancelled)
        {
            throw ApiProblem.Conflict($"Order {order.Number} is already {order.Status}.");
        }

        var held = (await ProductionStore.JobsOfAsync(s, [id])).GetValueOrDefault(id, []).Where(j => JobStatus.IsActive(j.Status)).ToList();
        foreach (var job in held)
        {
            await ProductionStore.RecordRunAsync(s, job, "order cancelled");
        }

        await ProductionStore.CancelOrderAsync(s, id);
        await s.AuditAsync("cancel", "order", id, $"cancelled order {order.Number}" + (held.Count > 0 ? $"; machines told: {string.Join(", ", held.Select(j => j.MachineName))}" : ""));
        return (await GetAsync(s, id), held);
    }
}
