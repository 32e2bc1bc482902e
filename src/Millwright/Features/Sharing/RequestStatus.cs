namespace Millwright.Features.Sharing;

internal static class RequestStatus
{
    public const string Open = "open";
    public const string Awarded = "awarded";
    public const string Cancelled = "cancelled";
}
