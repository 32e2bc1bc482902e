using Millwright.Api;

namespace Millwright.Features.Inventory;

/// <summary>
/// Receipts and issues. Stock is never stored, only summed from movements, so it cannot drift from its
/// history; a movement that would take any item's stock at a site below zero at any time is refused.
/// </summary>
internal static class InventoryMovements
{
    public const double MaxQuantity = 1e12;
    private const string Columns = "id, item_id, site_id, kind, quantity, unit_cost, at, note, created_by";

    public static async Task<Page<MovementDto>> ListAsync(Session s, MovementQuery query, PageRequest page)
    {
        var rows = await s.QueryAsync<MovementRow>(
            $"""
            SELECT {Columns} FROM inventory_movements
            WHERE tenant_id = @Tenant AND id > @After AND (@ItemId IS NULL OR item_id = @ItemId) AND (@SiteId IS NULL OR site_id = @SiteId)
            ORDER BY id LIMIT @Take
            """,
            new { s.Tenant, page.After, query.ItemId, query.SiteId, Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<MovementDto> CreateAsync(Session s, MovementInput input)
    {
        var v = new Validator();
        var itemId = v.Id("itemId", input.ItemId);
        var siteId = v.Id("siteId", input.SiteId);
        if (input.Kind is not ("receipt" or "issue"))
        {
            v.Add("kind", "must be receipt or issue");
        }

        if (input.Quantity is not { } quantity || !double.IsFinite(quantity) || quantity <= 0 || quantity > MaxQuantity)
        {
            v.Add("quantity", "is required and must be a positive number");
        }

        var at = input.At?.ToUnixTimeMilliseconds() ?? s.Now;
        if (at > s.Now + 60_000)
        {
            v.Add("at", "must not lie in the future");
        }

        v.Description("note", input.Note);
        v.ThrowIfInvalid();
        await s.RequireReferenceAsync("inventory_items", "itemId", "inventory item", itemId);
        await s.RequireReferenceAsync("sites", "siteId", "site", siteId);
        var item = await InventoryItems.GetAsync(s, itemId);
        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO inventory_movements (tenant_id, item_id, site_id, kind, quantity, unit_cost, at, note, created_by)
            VALUES (@Tenant, @itemId, @siteId, @Kind, @Quantity, @UnitCost, @at, @Note, @Actor) RETURNING id
            """,
            new { s.Tenant, itemId, siteId, input.Kind, input.Quantity, item.UnitCost, at, input.Note, s.Caller.Actor });
        var history = await s.QueryAsync<MovementRow>(
            $"SELECT {Columns} FROM inventory_movements WHERE tenant_id = @Tenant AND item_id = @itemId AND site_id = @siteId ORDER BY at, id",
            new { s.Tenant, itemId, siteId });
        double stock = 0;
        foreach (var m in history)
        {
            stock += m.Kind == "receipt" ? m.Quantity : -m.Quantity;
            // A relative tolerance: quantities are doubles, and 0.1 + 0.2 - 0.3 must not count as negative stock.
            if (stock < -1e-9 * Math.Max(1, m.Quantity))
            {
                throw ApiProblem.Conflict($"Issuing {input.Quantity} {item.Unit} of '{item.Sku}' would take its stock at site {siteId} below zero.");
            }
        }

        await s.AuditAsync("create", "inventory_movement", id, $"{input.Kind} of {input.Quantity} {item.Unit} of '{item.Sku}' at site {siteId}");
        var row = await s.QueryOneAsync<MovementRow>($"SELECT {Columns} FROM inventory_movements WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        return row!.AsDto();
    }

    public static async Task<IReadOnlyList<StockLevelDto>> StockAsync(Session s, StockQuery query)
    {
        if (query.SiteId is { } site)
        {
            await Sites.Sites.GetAsync(s, site);
        }

        return (await s.QueryAsync<(long ItemId, string Sku, long SiteId, double Quantity, double Value)>(
            """
            SELECT m.item_id, i.sku, m.site_id,
                   SUM(CASE WHEN m.kind = 'receipt' THEN m.quantity ELSE -m.quantity END),
                   SUM(CASE WHEN m.kind = 'receipt' THEN m.quantity ELSE -m.quantity END * m.unit_cost)
            FROM inventory_movements m JOIN inventory_items i ON i.tenant_id = m.tenant_id AND i.id = m.item_id
            WHERE m.tenant_id = @Tenant AND (@SiteId IS NULL OR m.site_id = @SiteId)
            GROUP BY m.item_id, i.sku, m.site_id ORDER BY m.item_id, m.site_id
            """,
            new { s.Tenant, query.SiteId })).Select(r => new StockLevelDto(r.ItemId, r.Sku, r.SiteId, r.Quantity, r.Value)).ToList();
    }

    /// <summary>
    /// Turnover over [from, to): the cost of goods issued in it, divided by the time-weighted average of the
    /// stock value (the value held at each instant, averaged over the period); null when nothing was held.
    /// </summary>
    public static async Task<TurnoverDto> TurnoverAsync(Session s, TurnoverQuery query)
    {
        if (query.SiteId is { } site)
        {
            await Sites.Sites.GetAsync(s, site);
        }

        var (from, to) = TimeRange.Of(query.From, query.To, s.Now, TimeSpan.FromDays(3660));
        var rows = await s.QueryAsync<MovementRow>(
            $"SELECT {Columns} FROM inventory_movements WHERE tenant_id = @Tenant AND (@SiteId IS NULL OR site_id = @SiteId) AND at < @to ORDER BY at, id",
            new { s.Tenant, query.SiteId, to });
        var (issued, average) = Turnover(rows, from, to);
        return new TurnoverDto(query.SiteId, DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to),
            issued, average, average > 0 ? issued / average : null);
    }

    /// <summary>Cost of goods issued in [from, to) and the time-weighted average stock value; movements sorted by time.</summary>
    public static (double Issued, double Average) Turnover(IReadOnlyList<MovementRow> movements, long from, long to)
    {
        double value = 0, integral = 0, issued = 0;
        var last = from;
        foreach (var m in movements.Where(m => m.At < to))
        {
            if (m.At >= from)
            {
                integral += value * (m.At - last);
                last = m.At;
                if (m.Kind == "issue")
                {
                    issued += m.Quantity * m.UnitCost;
                }
            }

            value += m.SignedValue;
        }

        integral += value * (to - last);
        return (issued, integral / (to - from));
    }
}
