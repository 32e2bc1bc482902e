namespace Millwright.Features.Sharing;

/// <summary>One side's invoice-ready record of a completed shared job, as stored.</summary>
internal sealed class InvoiceRow
{
    public long Id { get; set; }
    public long BidId { get; set; }
    public string Side { get; set; } = "";
    public string Counterpart { get; set; } = "";
    public string Title { get; set; } = "";
    public long Quantity { get; set; }
    public long Good { get; set; }
    public long Scrap { get; set; }
    public double QuotedHours { get; set; }
    public double Hours { get; set; }
    public double Price { get; set; }
    public double Amount { get; set; }
    public long PromisedAt { get; set; }
    public long CompletedAt { get; set; }
    public long CreatedAt { get; set; }

    public InvoiceDto AsDto() => new(
        Id, BidId, Side, Counterpart, Title, Quantity, Good, Scrap, QuotedHours, Hours, Price, Amount, SharingJson.At(PromisedAt),
        SharingJson.At(CompletedAt), CompletedAt <= PromisedAt, SharingJson.At(CreatedAt));
}
