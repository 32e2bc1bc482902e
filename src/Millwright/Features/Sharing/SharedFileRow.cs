namespace Millwright.Features.Sharing;

/// <summary>A request's file as the store lists it (without its bytes).</summary>
internal sealed class SharedFileRow
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long RequestId { get; set; }
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long SizeBytes { get; set; }
    public string Sha256 { get; set; } = "";
    public long CreatedAt { get; set; }

    public SharedFileDto AsDto() => new(Id, RequestId, Name, Kind, ContentType, SizeBytes, Sha256, SharingJson.At(CreatedAt));
}
