namespace Millwright.Features.Sharing;

internal static class OfferStatus
{
    public const string Active = "active";
    public const string Cancelled = "cancelled";
}
