using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Scheduling.Erp;
using Millwright.Scheduling.Model;

namespace Millwright.Features.Erp;

/// <summary>
/// Applies an ERP's order file to the tenant's orders, in the caller's one transaction, idempotent on the ERP's
/// order number: a new number becomes a planned order (through <see cref="Orders.CreateAsync"/>, so it gets the
/// same checks and jobs as one taken by hand); a known one is left alone when nothing changed, amended while no
/// machine has started it, and refused for that line otherwise. A fault of the file (an unknown item or site, a
/// due date in the past) refuses the whole file with its line and column, so nothing is half imported.
/// </summary>
internal static class ErpOrderImport
{
    public const string DefaultCustomer = "ERP";

    public static async Task<(ErpImportResult Result, bool Replan)> ImportAsync(Session s, IReadOnlyList<ErpOrderLine> lines)
    {
        var items = (await s.QueryAsync<(long Id, string Sku, string Unit)>("SELECT id, sku, unit FROM inventory_items WHERE tenant_id = @Tenant", new { s.Tenant }))
            .ToDictionary(i => i.Sku, StringComparer.Ordinal);
        var sites = new Dictionary<string, long>(StringComparer.Ordinal);
        long? onlySite = null;
        var rows = new List<ErpImportRow>(lines.Count);
        var replan = false;
        foreach (var line in lines)
        {
            if (!items.TryGetValue(line.Item, out var item))
            {
                throw Fault(line, line.ItemColumn, ErpOrderCsv.Item, $"there is no item with SKU '{line.Item}'");
            }

            if (line.Unit is { } unit && unit != item.Unit)
            {
                throw Fault(line, 0, B2mmlSchedule.Unit, $"the quantity is given in '{unit}'; item '{item.Sku}' is counted in '{item.Unit}'");
            }

            var siteId = line.Site is { } name
                ? sites.TryGetValue(name, out var known) ? known : sites[name] = (await Sites.Sites.FindByNameAsync(s, name))?.Id
                    ?? throw Fault(line, line.SiteColumn, ErpOrderCsv.Site, $"there is no site named '{name}'")
                : onlySite ??= await OnlySiteAsync(s, line);
            var due = line.Due.ToUnixTimeMilliseconds();
            if (due < s.Now - 60_000 || due > s.Now + (5L * 366 * 86_400_000))
            {
                throw Fault(line, line.DueColumn, ErpOrderCsv.Due, $"{line.Due:O} must lie in the future, within five years");
            }

            var row = await ApplyAsync(s, line, item.Id, siteId, due);
            replan |= row.Outcome == ErpOutcome.Updated && (await ProductionStore.OrderAsync(s, row.OrderId!.Value))?.Status == OrderStatus.Released;
            rows.Add(row);
        }

        await s.AuditAsync("import", "order", null, $"ERP order file: {Count(rows, ErpOutcome.Created)} created, {Count(rows, ErpOutcome.Updated)} updated, " +
            $"{Count(rows, ErpOutcome.Unchanged)} unchanged, {Count(rows, ErpOutcome.Refused)} refused");
        return (new ErpImportResult(Count(rows, ErpOutcome.Created), Count(rows, ErpOutcome.Updated), Count(rows, ErpOutcome.Unchanged),
            Count(rows, ErpOutcome.Refused), rows), replan);
    }

    /// <summary>The problem for a fault at a line and column: status 400 with the position as members.</summary>
    public static ApiProblem Fault(int line, int column, string columnName, string problem, int status = StatusCodes.Status400BadRequest) =>
        new(status, "Invalid order file", columnName.Length > 0 ? $"line {line}, column {column} ({columnName}): {problem}" : $"line {line}, column {column}: {problem}",
            new Dictionary<string, string[]> { [columnName.Length > 0 ? columnName : "file"] = [problem] })
        {
            Extensions = new Dictionary<string, object?> { ["line"] = line, ["column"] = column, ["columnName"] = columnName },
        };

    /// <summary>A fault of one order: at its element when it came as B2MML, at its line and column when it came as CSV.</summary>
    private static ApiProblem Fault(ErpOrderLine line, int column, string columnName, string problem, int status = StatusCodes.Status400BadRequest) =>
        line.Places is { } places && places.TryGetValue(columnName, out var place)
            ? B2mmlFault.At(place, problem, status)
            : Fault(line.Line, column, columnName, problem, status);

    private static async Task<ErpImportRow> ApplyAsync(Session s, ErpOrderLine line, long itemId, long siteId, long due)
    {
        var existing = await ProductionStore.OrderByErpNumberAsync(s, line.ErpNumber);
        if (existing is null)
        {
            OrderDto created;
            try
            {
                created = await Orders.CreateAsync(s, new OrderInput(line.ErpNumber, line.Customer ?? DefaultCustomer, itemId, siteId, line.Quantity, line.Due, line.Priority, null, false));
            }
            catch (ApiProblem e)
            {
                // The order's own checks (a routing, the planner's time limit, a number taken by hand) name no line.
                throw Fault(line, 1, ErpOrderCsv.Number, $"order '{line.ErpNumber}': {e.Message}", e.Status);
            }

            await ProductionStore.MarkErpOrderAsync(s, created.Id, line.ErpNumber);
            return new ErpImportRow(line.Line, line.ErpNumber, created.Id, ErpOutcome.Created, null);
        }

        if (existing.ItemId != itemId || existing.SiteId != siteId)
        {
            return Refused(line, existing, $"order {existing.Number} is for item '{existing.Item}' at site {existing.SiteId}; an order's item and site do not change (cancel it and send a new number)");
        }

        var priority = line.Priority ?? existing.Priority;
        if (existing.Quantity == line.Quantity && existing.DueAt == due && existing.Priority == priority)
        {
            return new ErpImportRow(line.Line, line.ErpNumber, existing.Id, ErpOutcome.Unchanged, null);
        }

        if (existing.Status is not (OrderStatus.Planned or OrderStatus.Released))
        {
            return Refused(line, existing, $"order {existing.Number} is {existing.Status}; a started order keeps its quantity, due date and priority");
        }

        var jobs = (await ProductionStore.JobsOfAsync(s, [existing.Id])).GetValueOrDefault(existing.Id, []);
        foreach (var job in jobs)
        {
            var seconds = (job.SetupMs + (line.Quantity * job.UnitMs)) / 1000.0;
            if (seconds > ShopInstance.MaxTime)
            {
                throw Fault(line, 1, ErpOrderCsv.Quantity, $"{line.Quantity} units take {seconds:0} s at operation '{job.Operation}', more than the planner's {ShopInstance.MaxTime:N0} s");
            }
        }

        if (!await ProductionStore.AmendOrderAsync(s, existing.Id, line.Quantity, due, priority))
        {
            return Refused(line, existing, $"order {existing.Number} was started meanwhile; it keeps its terms");
        }

        await s.AuditAsync("update", "order", existing.Id,
            $"ERP amended order {existing.Number}: quantity {existing.Quantity} → {line.Quantity}, due {DateTimeOffset.FromUnixTimeMilliseconds(existing.DueAt):O} → {line.Due:O}, priority {existing.Priority} → {priority}");
        return new ErpImportRow(line.Line, line.ErpNumber, existing.Id, ErpOutcome.Updated, null);
    }

    private static ErpImportRow Refused(ErpOrderLine line, OrderRow existing, string reason) =>
        new(line.Line, line.ErpNumber, existing.Id, ErpOutcome.Refused, reason);

    /// <summary>Without a site column the tenant must have exactly one site; the file is refused at its first order otherwise.</summary>
    private static async Task<long> OnlySiteAsync(Session s, ErpOrderLine line)
    {
        var ids = await s.QueryAsync<long>("SELECT id FROM sites WHERE tenant_id = @Tenant ORDER BY id LIMIT 2", new { s.Tenant });
        return ids.Count == 1 ? ids[0]
            : throw Fault(line, 1, ErpOrderCsv.Site, ids.Count == 0 ? "the tenant has no site yet" : "the tenant has several sites; add a site column naming each order's site");
    }

    private static int Count(List<ErpImportRow> rows, string outcome) => rows.Count(r => r.Outcome == outcome);
}
