using Millwright.Api;

namespace Millwright.Features.Inventory;

/// <summary>An item kept in stock, valued at a standard unit cost (in the tenant's currency).</summary>
internal sealed record ItemInput(string? Sku, string? Name, string? Unit, double? UnitCost);

internal sealed record ItemDto(long Id, string Sku, string Name, string Unit, double UnitCost, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record ItemQuery(int? Limit, long? After, string? Sku) : IListQuery;

/// <summary>A receipt (stock in) or an issue (stock out) of an item at a site; At defaults to now and may lie in the past.</summary>
internal sealed record MovementInput(long? ItemId, long? SiteId, string? Kind, double? Quantity, DateTimeOffset? At, string? Note);

internal sealed record MovementDto(long Id, long ItemId, long SiteId, string Kind, double Quantity, double UnitCost, DateTimeOffset At, string? Note, string CreatedBy) : IHasId;

internal sealed record MovementQuery(int? Limit, long? After, long? ItemId, long? SiteId) : IListQuery;

internal sealed record StockQuery(long? SiteId);

internal sealed record StockLevelDto(long ItemId, string Sku, long SiteId, double Quantity, double Value);

internal sealed record TurnoverQuery(long? SiteId, ZonedTime? From, ZonedTime? To);

/// <summary>Inventory turnover over [From, To): cost of goods issued / time-weighted average inventory value.</summary>
internal sealed record TurnoverDto(long? SiteId, DateTimeOffset From, DateTimeOffset To, double CostOfGoodsIssued, double AverageInventoryValue, double? Turnover);

internal sealed class ItemRow
{
    public long Id { get; set; }
    public string Sku { get; set; } = "";
    public string Name { get; set; } = "";
    public string Unit { get; set; } = "";
    public double UnitCost { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public ItemDto AsDto() => new(Id, Sku, Name, Unit, UnitCost,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}

internal sealed class MovementRow
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public long SiteId { get; set; }
    public string Kind { get; set; } = "";
    public double Quantity { get; set; }
    public double UnitCost { get; set; }
    public long At { get; set; }
    public string? Note { get; set; }
    public string CreatedBy { get; set; } = "";

    /// <summary>The movement's effect on stock value: receipts add, issues take away.</summary>
    public double SignedValue => (Kind == "receipt" ? 1 : -1) * Quantity * UnitCost;

    public MovementDto AsDto() => new(Id, ItemId, SiteId, Kind, Quantity, UnitCost, DateTimeOffset.FromUnixTimeMilliseconds(At), Note, CreatedBy);
}
