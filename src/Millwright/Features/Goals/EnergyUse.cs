using Millwright.Features.Kpis;
using Millwright.Features.States;

namespace Millwright.Features.Goals;

/// <summary>
/// How much of a machine's energy went into running: the energy of counted minutes that start inside a
/// `running` interval, against the energy of every counted minute, planned or not (energy burnt by a machine
/// left on overnight is exactly what this KPI is for).
/// </summary>
internal static class EnergyUse
{
    /// <param name="states">The machine's intervals, sorted by start, as <see cref="MachineStates.IntervalsAsync"/> returns them.</param>
    /// <param name="counts">The minutes of one period, sorted by minute.</param>
    public static (double Running, double Total) Split(IReadOnlyList<StateIntervalRow> states, IReadOnlyList<CountBucket> counts, long now)
    {
        double running = 0, total = 0;
        var i = 0;
        foreach (var c in counts)
        {
            total += c.Energy;
            // Intervals are contiguous and sorted, so the one holding this minute is at or after the last one found.
            while (i < states.Count && (states[i].EndAt ?? Math.Max(now, states[i].StartAt + 1)) <= c.BucketAt)
            {
                i++;
            }

            if (i < states.Count && states[i].StartAt <= c.BucketAt && states[i].State == MachineStateNames.Running)
            {
                running += c.Energy;
            }
        }

        return (running, total);
    }
}
