using Millwright.Learning.Risk;

namespace Millwright.Bench;

/// <summary>
/// What the stored history of one machine kind teaches the predictor, as the platform would learn it: the excess at
/// failure and the healthy level of every part whose fitting is in the record. A part already in place when the
/// record begins (each machine's first) has no healthy start of its own, so it teaches neither
/// (docs/predictive-maintenance.md, "Failure threshold"). Every breakdown's repair time tells what a failure costs.
/// </summary>
internal sealed class KindRecord
{
    public List<double> Failures { get; } = [];

    public List<double> Healthy { get; } = [];

    /// <summary>Production hours each breakdown's repair took (any part: how long a repair takes does not need its fitting).</summary>
    public List<double> RepairHours { get; } = [];

    /// <summary>Production hours of every down spell seen from its start, short or long: how often and how long a machine stops anyway.</summary>
    public List<double> DownSpellHours { get; } = [];

    /// <summary>Production hours from a recorded fitting to the part's failure.</summary>
    public List<double> LifeHours { get; } = [];

    /// <summary>Production hours the kind's machines were observed.</summary>
    public double ProductionHours { get; set; }

    /// <summary>The opportunistic renewal's costs from what is recorded so far (docs/predictive-maintenance.md, "Opportunistic renewal").</summary>
    public OpportunityCosts? Opportunity(RiskOptions options, TimeSpan renewal) =>
        OpportunityCosts.Learn(options.RenewalCost, renewal.TotalHours, DownSpellHours, ProductionHours, LifeHours, RepairHours);

    private (int Failures, int Repairs, double Renewal, MaintenanceDecision? Decision) _decision = (-1, -1, 0, null);

    /// <summary>
    /// The cost decision from what is learned so far: the failure threshold and the mean repair time; null until there
    /// are enough failures and a repair. Kept until the record grows.
    /// </summary>
    public MaintenanceDecision? Decision(RiskOptions options)
    {
        if (_decision.Failures != Failures.Count || _decision.Repairs != RepairHours.Count || _decision.Renewal != options.RenewalCost)
        {
            var decision = RepairHours.Count > 0 && FailureThreshold.Learn(Failures, options) is { } threshold
                ? new MaintenanceDecision(threshold, new MaintenanceCosts(options.RenewalCost, RepairHours.Average()))
                : null;
            _decision = (Failures.Count, RepairHours.Count, options.RenewalCost, decision);
        }

        return _decision.Decision;
    }

    /// <summary>The median healthy level of the kind's recorded parts, or null before one is known.</summary>
    public double? HealthyLevel
    {
        get
        {
            if (Healthy.Count == 0)
            {
                return null;
            }

            var sorted = Healthy.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public KindRecord Copy()
    {
        var copy = new KindRecord();
        copy.Failures.AddRange(Failures);
        copy.Healthy.AddRange(Healthy);
        copy.RepairHours.AddRange(RepairHours);
        copy.DownSpellHours.AddRange(DownSpellHours);
        copy.LifeHours.AddRange(LifeHours);
        copy.ProductionHours = ProductionHours;
        return copy;
    }
}
