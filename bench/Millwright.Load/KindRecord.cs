namespace Millwright.Bench;

/// <summary>
/// What the stored history of one machine kind teaches the predictor, as the platform would learn it: the excess at
/// failure and the healthy level of every part whose fitting is in the record. A part already in place when the
/// record begins (each machine's first) has no healthy start of its own, so it teaches neither
/// (docs/predictive-maintenance.md, "Failure threshold").
/// </summary>
internal sealed class KindRecord
{
    public List<double> Failures { get; } = [];

    public List<double> Healthy { get; } = [];

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
        return copy;
    }
}
