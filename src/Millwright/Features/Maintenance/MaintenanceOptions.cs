namespace Millwright.Features.Maintenance;

/// <summary>
/// How the platform plans maintenance from the failure risk (docs/predictive-maintenance.md, "In the calendar"): one
/// configuration for every machine type until per-type settings exist.
/// </summary>
internal sealed record MaintenanceOptions
{
    /// <summary>The chance of failing before maintenance that is accepted: the stop must begin before the risk reaches it.</summary>
    public double Acceptable { get; init; } = new Learning.Risk.RiskOptions().Acceptable;

    /// <summary>How long a maintenance stop holds the machine.</summary>
    public TimeSpan StopLength { get; init; } = TimeSpan.FromHours(2);

    /// <summary>A machine whose latest safe start lies further ahead gets no stop yet; a later pass plans it with more readings.</summary>
    public TimeSpan PlanAhead { get; init; } = TimeSpan.FromDays(3);

    /// <summary>Spacing of the candidate starts between now and the latest safe start (shift and break boundaries are added).</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the background pass plans every tenant's machines.</summary>
    public TimeSpan PlanEvery { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Planned work on the machine costs this much more per hour than idle planned time: a stop then moves jobs.</summary>
    public double WorkWeight { get; init; } = 2;

    /// <summary>How stops the platform wrote are told from an operator's: their reason begins with this.</summary>
    public const string ReasonPrefix = "predictive maintenance";
}
