using Millwright.Features.Calendars;
using Millwright.Features.States;

namespace Millwright.Features.Kpis;

/// <summary>
/// Pure KPI arithmetic after ISO 22400-2 (formulas and edge cases in docs/kpis.md): time elements from state
/// intervals and planned time, quantities from counted minutes, and the KPIs from the summed elements, so a
/// line's or site's KPI is computed from its machines' sums, never as an average of their ratios.
/// </summary>
internal static class KpiCalculator
{
    /// <summary>The elements of one machine over one period; <paramref name="counts"/> sorted by minute.</summary>
    public static KpiInputs Inputs(PlannedTime planned, IReadOnlyList<StateIntervalRow> states, IReadOnlyList<CountBucket> counts,
        StateRuleSet rules, long from, long to, long now)
    {
        List<Interval> Of(string state) => states.Where(s => s.State == state)
            .Select(s => new Interval(s.StartAt, s.EndAt ?? Math.Max(s.StartAt, Math.Min(now, to)))).ToList();
        double Seconds(IEnumerable<Interval> inside) => Intervals.Total(Intervals.Intersect(inside, planned.Busy)) / 1000.0;

        var apt = Seconds(Of(MachineStateNames.Running));
        var aust = Seconds(Of(MachineStateNames.Setup));
        var down = Of(MachineStateNames.Down);
        var adet = Seconds(down);
        var adot = Seconds(Of(MachineStateNames.Idle).Concat(Of(MachineStateNames.Offline)));

        // A failure is a down interval that starts inside planned busy time; its repair time is its part in [from, to).
        var failures = down.Where(d => d.Start >= from && d.Start < to && planned.Busy.Any(b => b.Start <= d.Start && d.Start < b.End)).ToList();
        var repair = failures.Sum(f => (Math.Min(f.End, to) - f.Start) / 1000.0);

        // A counted minute belongs to the period when it starts inside planned busy time. Both lists are sorted,
        // so one pass suffices (a site over 92 days holds hundreds of thousands of minutes).
        var inside = new List<CountBucket>();
        var busyIndex = 0;
        foreach (var c in counts)
        {
            while (busyIndex < planned.Busy.Count && planned.Busy[busyIndex].End <= c.BucketAt)
            {
                busyIndex++;
            }

            if (busyIndex == planned.Busy.Count)
            {
                break;
            }

            if (planned.Busy[busyIndex].Start <= c.BucketAt)
            {
                inside.Add(c);
            }
        }
        var pq = inside.Sum(c => c.Produced);
        var sq = inside.Sum(c => c.Scrap);
        double ideal = 0;
        var missingIdeal = false;
        foreach (var c in inside.Where(c => c.Produced > 0))
        {
            if (rules.IdealCycleFor(c.Program) is { } seconds)
            {
                ideal += c.Produced * seconds;
            }
            else
            {
                missingIdeal = true;
            }
        }

        if (apt > 0 && rules.IdealCycleSeconds is null && rules.IdealCycleByProgram.Count == 0)
        {
            missingIdeal = true;
        }

        var pot = Intervals.Total(planned.Operating) / 1000.0;
        var pdt = Intervals.Total(planned.PlannedDown) / 1000.0;
        var pbt = Intervals.Total(planned.Busy) / 1000.0;
        return new KpiInputs(pot, pdt, pbt, apt, aust, adet, adot, apt + aust + adet, apt + aust + adet + adot,
            pq, sq, Math.Max(0, pq - sq), ideal, failures.Count, repair, inside.Sum(c => c.Energy), missingIdeal ? 1 : 0);
    }

    public static KpiValues Compute(KpiInputs i)
    {
        static double? Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : null;

        var availability = Ratio(i.Apt, i.Pbt);
        // Effectiveness needs an ideal cycle time for every machine that produced; a partial sum would flatter it.
        var effectiveness = i.MachinesWithoutIdealCycle > 0 ? null : Ratio(i.IdealTime, i.Apt);
        var quality = Ratio(i.Gq, i.Pq);
        return new KpiValues(
            availability,
            effectiveness,
            quality,
            availability * effectiveness * quality,
            Ratio(i.Sq, i.Pq),
            Ratio(i.Pq, i.Aoet / 3600),
            Ratio(i.Apt, i.Aubt),
            i.Fe > 0 ? i.Apt / i.Fe : null,
            i.Fe > 0 ? i.RepairTime / i.Fe : null,
            Ratio(i.Energy, i.Gq));
    }
}
