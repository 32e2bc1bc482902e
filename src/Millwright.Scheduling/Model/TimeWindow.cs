namespace Millwright.Scheduling.Model;

/// <summary>A half-open interval [Start, End) during which a machine cannot work (planned downtime, off-shift).</summary>
public sealed record TimeWindow(int Start, int End)
{
    public bool Overlaps(long start, long end) => start < End && Start < end;
}
