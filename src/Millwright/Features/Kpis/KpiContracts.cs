using Millwright.Api;

namespace Millwright.Features.Kpis;

/// <summary>Exactly one of Machine, Line or Site; [From, To) defaults to the last 24 hours; Period splits it (shift, day, week).</summary>
internal sealed record KpiQuery(long? Machine, long? Line, long? Site, ZonedTime? From, ZonedTime? To, string? Period);

/// <summary>
/// The ISO 22400-2 elements a KPI is computed from (times in seconds, quantities in units): POT, PDT, PBT,
/// APT, AUST, ADET, ADOT, AUBT, AOET, PQ, SQ, GQ, the ideal time of the produced quantity (PQ × ideal cycle),
/// FE (failure events), the repair time of those failures, and the energy counter's increase.
/// </summary>
internal sealed record KpiInputs(
    double Pot, double Pdt, double Pbt, double Apt, double Aust, double Adet, double Adot, double Aubt, double Aoet,
    double Pq, double Sq, double Gq, double IdealTime, int Fe, double RepairTime, double Energy, int MachinesWithoutIdealCycle)
{
    public static readonly KpiInputs Zero = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static KpiInputs operator +(KpiInputs a, KpiInputs b) => new(
        a.Pot + b.Pot, a.Pdt + b.Pdt, a.Pbt + b.Pbt, a.Apt + b.Apt, a.Aust + b.Aust, a.Adet + b.Adet, a.Adot + b.Adot,
        a.Aubt + b.Aubt, a.Aoet + b.Aoet, a.Pq + b.Pq, a.Sq + b.Sq, a.Gq + b.Gq, a.IdealTime + b.IdealTime, a.Fe + b.Fe,
        a.RepairTime + b.RepairTime, a.Energy + b.Energy, a.MachinesWithoutIdealCycle + b.MachinesWithoutIdealCycle);
}

/// <summary>The KPIs; null where the denominator is zero (nothing planned, nothing produced, no failure).</summary>
internal sealed record KpiValues(
    double? Availability, double? Effectiveness, double? QualityRatio, double? Oee, double? ScrapRatio,
    double? ThroughputRate, double? UtilizationEfficiency, double? Mtbf, double? Mttr, double? EnergyPerGoodUnit);

internal sealed record KpiPeriod(DateTimeOffset From, DateTimeOffset To, string? Label, KpiInputs Inputs, KpiValues Kpis);

internal sealed record KpiReport(string Scope, long Id, IReadOnlyList<long> Machines, string? Period, IReadOnlyList<KpiPeriod> Periods);

/// <summary>The production counted in one minute: its start, the program and the counter increases.</summary>
internal sealed record CountBucket(long BucketAt, string Program, double Produced, double Scrap, double Energy);
