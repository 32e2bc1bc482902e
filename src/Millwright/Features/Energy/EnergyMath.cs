using Millwright.Features.States;

namespace Millwright.Features.Energy;

/// <summary>
/// The arithmetic of the energy report, on minute increases of a kWh counter (the time-series store's minute
/// rollups, which already count a wrap of a declared modulus and a reset from zero) and a machine's state intervals.
/// </summary>
internal static class EnergyMath
{
    public const long Minute = 60_000;

    /// <summary>Utilities bill demand as the average power over 15-minute intervals.</summary>
    public const long DemandInterval = 15 * Minute;

    /// <summary>Energy by state: a minute's energy belongs to the state its minute started in, as for energy utilization on the goals board.</summary>
    public static Dictionary<string, double> ByState(IReadOnlyList<(long At, double Kwh)> minutes, IReadOnlyList<StateIntervalRow> states)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var i = 0;
        foreach (var (at, kwh) in minutes)
        {
            // Intervals are sorted and contiguous, so the one holding this minute is at or after the last one found; the open
            // one lasts until now, which includes the minute of the newest reading.
            while (i < states.Count && (states[i].EndAt ?? long.MaxValue) <= at)
            {
                i++;
            }

            var state = i < states.Count && states[i].StartAt <= at ? states[i].State : "";
            result[state] = result.GetValueOrDefault(state) + kwh;
        }

        return result;
    }

    /// <summary>Adds the minutes' energy to the aligned 15-minute intervals they fall in.</summary>
    public static void AddDemand(IReadOnlyList<(long At, double Kwh)> minutes, SortedDictionary<long, double> intervals)
    {
        foreach (var (at, kwh) in minutes)
        {
            var start = at - Mod(at, DemandInterval);
            intervals[start] = intervals.GetValueOrDefault(start) + kwh;
        }
    }

    /// <summary>The interval of the highest average demand and that demand in kW (kWh in a quarter hour times four); the earliest wins a tie.</summary>
    public static (long At, double Kw)? Peak(SortedDictionary<long, double> intervals)
    {
        (long At, double Kw)? peak = null;
        foreach (var (at, kwh) in intervals)
        {
            var kw = kwh * (3_600_000.0 / DemandInterval);
            if (peak is null || kw > peak.Value.Kw)
            {
                peak = (at, kw);
            }
        }

        return peak;
    }

    /// <summary>The report's figures from energy by state, the demand intervals and the good units made.</summary>
    public static EnergyFigures Figures(IReadOnlyDictionary<string, double> byState, SortedDictionary<long, double> demand, double goodUnits)
    {
        double Of(params string[] names) => names.Sum(n => byState.GetValueOrDefault(n));
        var total = byState.Values.Sum();
        var peak = Peak(demand);
        return new EnergyFigures(
            total,
            Of(MachineStateNames.Running),
            Of(MachineStateNames.Idle, MachineStateNames.PlannedStop, MachineStateNames.Offline),
            Of(MachineStateNames.Setup),
            Of(MachineStateNames.Down),
            Of(""),
            peak?.Kw,
            peak is { } p ? DateTimeOffset.FromUnixTimeMilliseconds(p.At) : null,
            goodUnits,
            goodUnits > 0 ? total / goodUnits : null,
            total > 0 ? Of(MachineStateNames.Running) / total : null);
    }

    private static long Mod(long a, long m) => ((a % m) + m) % m;
}
