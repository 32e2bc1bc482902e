namespace Millwright.Features.Connectivity;

/// <summary>
/// A handler's word on an answer: taken, refused (it is this feature's answer but malformed; the machine is told
/// why), or not its own, so the next handler is asked. A handler that passes may say what it would have needed,
/// which the machine is told when no handler claims the answer.
/// </summary>
internal sealed record AckVerdict(bool Claimed, string? Refusal)
{
    public static readonly AckVerdict Taken = new(true, null);

    public static AckVerdict NotMine(string? wouldNeed = null) => new(false, wouldNeed);

    public static AckVerdict Refuse(string reason) => new(true, reason);
}
