namespace Millwright.Features.Makerspace;

/// <summary>An idea's lifecycle: submitted → under_review → accepted (as a project) or declined (with a reason).</summary>
internal static class IdeaStatus
{
    public const string Submitted = "submitted";
    public const string UnderReview = "under_review";
    public const string Accepted = "accepted";
    public const string Declined = "declined";

    public static readonly string[] All = [Submitted, UnderReview, Accepted, Declined];

    /// <summary>The moves the lifecycle allows; a decision is final.</summary>
    public static bool MayMove(string from, string to) => (from, to) switch
    {
        (Submitted, UnderReview) => true,
        (UnderReview, Accepted) => true,
        (UnderReview, Declined) => true,
        _ => false,
    };
}
