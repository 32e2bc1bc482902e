using Millwright.Features.States;

namespace Millwright.Features.Maintenance;

/// <summary>
/// What a machine's stored states say about its wearing part: breakdowns (down spells of at least
/// <see cref="MachineRisk.BreakdownAtLeast"/>, whose repair fits a new part; shorter ones are stoppages that wear does
/// not explain), maintenance (planned stops whose reason names maintenance), when its current part was fitted, when it
/// ran, and its running share.
/// </summary>
internal sealed class MachineLife
{
    public List<(long Start, long End)> Breakdowns { get; } = [];

    /// <summary>Times a new part went in: the end of each breakdown's repair and of each maintenance stop.</summary>
    public List<long> Renewals { get; } = [];

    public List<(long Start, long End)> Running { get; } = [];

    public double RunningShare { get; private set; }

    public static MachineLife Of(IReadOnlyList<StateIntervalRow> intervals, long from, long now, TimeSpan breakdownAtLeast)
    {
        var life = new MachineLife();
        long running = 0;
        foreach (var interval in intervals)
        {
            var (start, end) = (Math.Max(interval.StartAt, from), Math.Min(interval.EndAt ?? now, now));
            if (end <= start)
            {
                continue;
            }

            switch (interval.State)
            {
                case MachineStateNames.Running:
                    life.Running.Add((start, end));
                    running += end - start;
                    break;
                case MachineStateNames.Down when interval.EndAt is { } repaired && repaired - interval.StartAt >= breakdownAtLeast.TotalMilliseconds:
                    life.Breakdowns.Add((interval.StartAt, repaired));
                    life.Renewals.Add(repaired);
                    break;
                case MachineStateNames.PlannedStop when interval.EndAt is { } done && IsMaintenance(interval.Reason):
                    life.Renewals.Add(done);
                    break;
            }
        }

        life.Renewals.Sort();
        var observed = intervals.Count == 0 ? 0 : now - Math.Max(intervals[0].StartAt, from);
        life.RunningShare = observed > 0 ? (double)running / observed : 0;
        return life;
    }

    /// <summary>A planned stop whose reason names maintenance renews the part.</summary>
    public static bool IsMaintenance(string? reason) => (reason ?? "").Contains("maintenance", StringComparison.OrdinalIgnoreCase);

    /// <summary>The last renewal before <paramref name="at"/>, or null when none is stored.</summary>
    public long? RenewedBefore(long at)
    {
        long? last = null;
        foreach (var renewal in Renewals)
        {
            if (renewal < at)
            {
                last = renewal;
            }
        }

        return last;
    }
}
