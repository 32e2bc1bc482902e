namespace Millwright.Features.Fleet;

/// <summary>The fleet's health: "ok" or "degraded", how many feeds are configured, and the failing ones.</summary>
internal sealed record FleetHealthDto(string Status, int Feeds, IReadOnlyList<FailingFeedDto> FailingFeeds);

/// <summary>A feed whose last poll failed: the cause, failures in a row, machines it has brought; NeverDelivered when no poll ever succeeded or brought a machine.</summary>
internal sealed record FailingFeedDto(long Id, string Name, string Error, long Failures, long Machines, DateTimeOffset? LastAttemptAt, DateTimeOffset? LastSuccessAt, bool NeverDelivered);
