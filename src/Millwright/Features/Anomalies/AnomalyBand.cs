namespace Millwright.Features.Anomalies;

/// <summary>
/// One minute (of reading time) of a series' expected range: the envelope of the ranges its detector expected for
/// the readings scored in that minute, the highest score among them, and the machine-state context of the last one.
/// What the machine page draws as the band around a tag's chart (docs/anomaly-detection.md "The band").
/// </summary>
internal sealed class AnomalyBand
{
    public const long MinuteMs = 60_000;

    public long SeriesId { get; set; }
    public long Minute { get; set; }
    public string Context { get; set; } = "";
    public double ExpectedLow { get; set; }
    public double ExpectedHigh { get; set; }
    public double MaxScore { get; set; }
    public long Readings { get; set; }

    public static long MinuteOf(long ms) => ms - (((ms % MinuteMs) + MinuteMs) % MinuteMs);

    public static AnomalyBand Start(long seriesId, long at, string context, double low, double high, double score) => new()
    {
        SeriesId = seriesId, Minute = MinuteOf(at), Context = context, ExpectedLow = low, ExpectedHigh = high, MaxScore = score, Readings = 1,
    };

    public void Add(string context, double low, double high, double score)
    {
        Context = context;
        ExpectedLow = Math.Min(ExpectedLow, low);
        ExpectedHigh = Math.Max(ExpectedHigh, high);
        MaxScore = Math.Max(MaxScore, score);
        Readings++;
    }

    /// <summary>This minute and <paramref name="other"/> of the same minute as one (a stored row and what memory adds to it).</summary>
    public AnomalyBand Merge(AnomalyBand other) => new()
    {
        SeriesId = SeriesId, Minute = Minute, Context = other.Context, ExpectedLow = Math.Min(ExpectedLow, other.ExpectedLow),
        ExpectedHigh = Math.Max(ExpectedHigh, other.ExpectedHigh), MaxScore = Math.Max(MaxScore, other.MaxScore), Readings = Readings + other.Readings,
    };

    public AnomalyBand Copy() => (AnomalyBand)MemberwiseClone();

    public BandMinuteDto AsDto() => new(DateTimeOffset.FromUnixTimeMilliseconds(Minute), Context, ExpectedLow, ExpectedHigh, MaxScore, Readings);
}
