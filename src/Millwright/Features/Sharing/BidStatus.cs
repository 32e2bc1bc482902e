namespace Millwright.Features.Sharing;

internal static class BidStatus
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Countered = "countered";
    public const string Declined = "declined";
    public const string Awarded = "awarded";

    /// <summary>Another bid of the same request was awarded, or the request was cancelled.</summary>
    public const string Closed = "closed";

    /// <summary>Shown, never stored: pending past the provider's deadline.</summary>
    public const string Expired = "expired";
}
