namespace Millwright.Learning.Risk;

/// <summary>The failure-risk method's settings; one configuration for every kind of machine (docs/predictive-maintenance.md).</summary>
public sealed record RiskOptions
{
    /// <summary>Readings per window (an hour of running at one reading a minute).</summary>
    public int WindowReadings { get; init; } = 60;

    /// <summary>Windows after a renewal that make the part's healthy baseline.</summary>
    public int BaselineWindows { get; init; } = 3;

    /// <summary>Latest windows averaged for the current excess.</summary>
    public int CurrentWindows { get; init; } = 3;

    /// <summary>Latest windows the trend is fitted on.</summary>
    public int TrendWindows { get; init; } = 24;

    /// <summary>A longer gap between readings is time the machine did not run.</summary>
    public TimeSpan MaxGap { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Past failures of the kind needed before a risk is given (the threshold is learned from them).</summary>
    public int MinFailures { get; init; } = 2;

    /// <summary>
    /// The chance of failing before maintenance that is accepted: maintenance must begin before the risk from now
    /// reaches it (<see cref="MaintenancePlanner.Deadline"/>). The platform and the bench use this one value.
    /// </summary>
    public double Acceptable { get; init; } = 0.05;

    /// <summary>
    /// What every maintenance stop costs wherever it lies, in hours of production (<see cref="MaintenanceCosts"/>): the
    /// crew, the part and the machine held for the stop's length, 2 h, valued at what the machine makes in that time.
    /// </summary>
    public double RenewalCost { get; init; } = 2;

    /// <summary>Floor of the learned threshold's log-spread: a few failures alike must not make the model certain.</summary>
    public double MinLogSpread { get; init; } = 0.15;
}
