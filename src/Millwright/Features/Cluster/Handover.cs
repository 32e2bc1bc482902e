namespace Millwright.Features.Cluster;

/// <summary>One change of a bucket's holder: released (To null) or taken (From null when it was free).</summary>
internal sealed record Handover(int Bucket, string? From, string? To, long Token, string Reason);
