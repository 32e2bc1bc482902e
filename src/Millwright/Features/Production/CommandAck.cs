namespace Millwright.Features.Production;

/// <summary>A machine's answer on <c>mw/{tenant}/{device}/cmd/ack</c> (docs/production.md).</summary>
internal sealed record CommandAck(string? CommandId, long JobId, string Status, string? Reason, long? Good, long? Scrap)
{
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
    public const string Completed = "completed";
}
