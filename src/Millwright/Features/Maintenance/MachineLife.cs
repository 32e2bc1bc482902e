using Millwright.Features.States;

namespace Millwright.Features.Maintenance;

/// <summary>
/// What a machine's stored states and maintenance records say about its wearing part: breakdowns (down spells whose
/// repair an operator recorded, and unrecorded ones of at least <see cref="MachineRisk.BreakdownAtLeast"/>, a repair
/// long enough to fit a new part; shorter unrecorded ones are stoppages that wear does not explain), renewals (each
/// breakdown's repair and each maintenance record; a planned stop nobody confirmed renews nothing), when it ran, and
/// its running share.
/// </summary>
internal sealed class MachineLife
{
    public List<(long Start, long End)> Breakdowns { get; } = [];

    /// <summary>Times a new part went in: the end of each breakdown's repair and of each maintenance stop.</summary>
    public List<long> Renewals { get; } = [];

    public List<(long Start, long End)> Running { get; } = [];

    public double RunningShare { get; private set; }

    /// <summary>Hours of every down spell that has ended (short stoppages and breakdowns): how often and how long the machine stops anyway.</summary>
    public List<double> DownSpellHours { get; } = [];

    /// <summary>Hours of states stored, from the first interval (or the lookback's start) to now.</summary>
    public double ObservedHours { get; private set; }

    /// <summary>The start of the down spell the machine is in now, if it is down.</summary>
    public long? DownSince { get; private set; }

    /// <summary>The newest maintenance record in the lookback, if any.</summary>
    public MaintenanceRecordRow? LastRecord { get; private set; }

    /// <summary>The newest down spell since the last maintenance record with no repair recorded (an operator may record one).</summary>
    public StateIntervalRow? UnrecordedBreakdown { get; private set; }

    /// <summary>Starts of the planned stops confirmed as carried out.</summary>
    public HashSet<long> ConfirmedStops { get; } = [];

    public static MachineLife Of(IReadOnlyList<StateIntervalRow> intervals, IEnumerable<MaintenanceRecordRow> records, long from, long now, TimeSpan breakdownAtLeast)
    {
        var life = new MachineLife();
        var repairs = new Dictionary<long, long>();
        foreach (var record in records)
        {
            life.Renewals.Add(record.DoneAt);
            life.LastRecord = record;
            if (record.BreakdownStateId is { } down)
            {
                repairs[down] = record.DoneAt;
            }

            if (record.PlannedStopFrom is { } stop)
            {
                life.ConfirmedStops.Add(stop);
            }
        }

        long running = 0;
        foreach (var interval in intervals)
        {
            var (start, end) = (Math.Max(interval.StartAt, from), Math.Min(interval.EndAt ?? now, now));
            if (end <= start)
            {
                continue;
            }

            if (interval.State == MachineStateNames.Down)
            {
                if (interval.EndAt is { } ended)
                {
                    life.DownSpellHours.Add((ended - interval.StartAt) / 3_600_000.0);
                }
                else
                {
                    life.DownSince = interval.StartAt;
                }
            }

            switch (interval.State)
            {
                case MachineStateNames.Running:
                    life.Running.Add((start, end));
                    running += end - start;
                    break;
                case MachineStateNames.Down when repairs.TryGetValue(interval.Id, out var recorded):
                    life.Breakdowns.Add((interval.StartAt, recorded));
                    break;
                case MachineStateNames.Down when interval.EndAt is { } repaired && repaired - interval.StartAt >= breakdownAtLeast.TotalMilliseconds:
                    life.Breakdowns.Add((interval.StartAt, repaired));
                    life.Renewals.Add(repaired);
                    break;
            }
        }

        life.Renewals.Sort();
        var recordedUntil = life.LastRecord?.DoneAt ?? long.MinValue;
        life.UnrecordedBreakdown = intervals.LastOrDefault(i => i.State == MachineStateNames.Down && !repairs.ContainsKey(i.Id) && i.StartAt >= recordedUntil);
        var observed = intervals.Count == 0 ? 0 : now - Math.Max(intervals[0].StartAt, from);
        life.RunningShare = observed > 0 ? (double)running / observed : 0;
        life.ObservedHours = Math.Max(0, observed) / 3_600_000.0;
        return life;
    }

    /// <summary>A planned stop whose reason names maintenance is a maintenance stop (renewing only once confirmed).</summary>
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
