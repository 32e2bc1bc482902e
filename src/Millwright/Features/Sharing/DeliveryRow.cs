namespace Millwright.Features.Sharing;

/// <summary>A delivery event as the store reads it.</summary>
internal sealed class DeliveryRow
{
    public long Id { get; set; }
    public string Kind { get; set; } = "";
    public long Quantity { get; set; }
    public string? Reference { get; set; }
    public long RecordedAt { get; set; }

    public DeliveryDto AsDto() => new(Id, Kind, Quantity, Reference, SharingJson.At(RecordedAt));
}
