namespace Millwright.Learning;

/// <summary>
/// The detector's one configuration. The defaults are the configuration measured on NAB (docs/benchmarks.md) and
/// used for every series; nothing here is tuned per file.
/// </summary>
public sealed record DetectorOptions
{
    /// <summary>Weight of the newest reading in the short-term level that jumps are measured from.</summary>
    public double FastAlpha { get; init; } = 0.15;

    /// <summary>Weight of the newest squared jump in the typical jump size (memory of about 1/alpha readings).</summary>
    public double ScaleAlpha { get; init; } = 0.01;

    /// <summary>Weight of the newest squared jump in the recent noise level compared with the typical one.</summary>
    public double ShortVarianceAlpha { get; init; } = 0.1;

    /// <summary>Floor of the weight of the newest reading in the long-run mean and variance.</summary>
    public double LongAlpha { get; init; } = 0.0005;

    /// <summary>How fast the tail histograms forget (memory of about 1/forgetting readings).</summary>
    public double Forgetting { get; init; } = 0.0002;

    /// <summary>Time-of-day buckets of the daily pattern.</summary>
    public int DailyBuckets { get; init; } = 48;

    /// <summary>How many days the daily pattern remembers (each bucket's weight per day is about 1/this).</summary>
    public double PatternDays { get; init; } = 5;

    /// <summary>
    /// Day-of-week × time-of-day buckets of the weekly pattern (84: two hours each); 0 switches the weekly view off. Its
    /// memory is taken only once a series spans a day, so short series cost nothing more.
    /// </summary>
    public int WeeklyBuckets { get; init; } = 84;

    /// <summary>How many weeks the weekly pattern remembers.</summary>
    public double PatternWeeks { get; init; } = 4;

    /// <summary>The weekly view judges readings only once the series spans this many days (three visits of each bucket).</summary>
    public double WeeklyAfterDays { get; init; } = 21;

    /// <summary>
    /// The weekly view judges a reading only where its bucket's variance is at most this share of the daily view's at
    /// that time of day: where the day of the week explains what the time of day does not.
    /// </summary>
    public double WeeklyNarrowing { get; init; } = 0.25;

    /// <summary>Weight of the newest reading in the recent average surprise (the sustained view).</summary>
    public double SustainedAlpha { get; init; } = 0.1;

    /// <summary>Readings learned before any score above 0.</summary>
    public int Warmup { get; init; } = 30;

    /// <summary>Per-reading decay of the surprise peak of the current episode (how long an episode lasts).</summary>
    public double PeakDecay { get; init; } = 0.99;

    /// <summary>Factor on the surprise of a reading that is no more surprising than the episode's peak.</summary>
    public double Damping { get; init; } = 0.3;

    /// <summary>Readings whose smallest and largest value set the range view's range (it waits longer while they are all equal).</summary>
    public int RangeLearning { get; init; } = 300;

    /// <summary>Equal bins inside the range view's range (plus one below and one above it).</summary>
    public int RangeBins { get; init; } = 5;

    /// <summary>Readings seen up to which a reading's tail share is taken as it is; beyond, it is discounted (below).</summary>
    public double SeenReference { get; init; } = 300;

    /// <summary>
    /// Power of (readings seen / <see cref="SeenReference"/>) that a reading's tail share is multiplied by, the readings
    /// seen counted up to the tail histograms' memory (1 / <see cref="Forgetting"/>): at most √(5,000 / 300) ≈ 4.1.
    /// </summary>
    public double SeenExponent { get; init; } = 0.5;

    /// <summary>A score at or above this is a detection, after which the detector holds off (below).</summary>
    public double DetectionScore { get; init; } = 0.6;

    /// <summary>
    /// After a detection, for this share of the readings seen so far (at least <see cref="HoldMin"/>, at most
    /// <see cref="HoldMax"/> readings), a reading scores in full only if it scores above every score since the detection;
    /// the others are damped by <see cref="Damping"/> once more.
    /// </summary>
    public double HoldShare { get; init; } = 0.05;

    public int HoldMin { get; init; } = 10;

    public int HoldMax { get; init; } = 2000;

    /// <summary>A silence longer than this many typical intervals is a gap: short-term views restart after it.</summary>
    public double GapFactor { get; init; } = 10;

    /// <summary>Score at and above which a reading belongs to an unusual episode (for SinceMs and alarms).</summary>
    public double EpisodeScore { get; init; } = 0.5;

    public static DetectorOptions Default { get; } = new();
}
