namespace Millwright.Features.Sharing;

/// <summary>A buyer's split plan of a request as the store reads it; its legs are the bids that name it.</summary>
internal sealed class SplitRow
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long RequestId { get; set; }
    public int Legs { get; set; }
    public long DeliveryAt { get; set; }
    public double Price { get; set; }
    public long CreatedAt { get; set; }
}
