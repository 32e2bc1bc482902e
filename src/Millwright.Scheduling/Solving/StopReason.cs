namespace Millwright.Scheduling.Solving;

public enum StopReason
{
    TimeLimit,
    IterationLimit,
    Cancelled,

    /// <summary>The schedule reached a lower bound, so nothing better exists.</summary>
    Optimal,
}
