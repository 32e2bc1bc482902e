namespace Millwright.Features.Anomalies;

/// <summary>One watched tag of a machine type and how sensitive its alarms are.</summary>
internal sealed record WatchedTag(string Tag, string Sensitivity);

/// <summary>A machine type's anomaly settings; <see cref="Source"/> is "default" until a tenant admin stores its own.</summary>
internal sealed record AnomalySettingsDto(long MachineTypeId, string Source, string Severity, IReadOnlyList<WatchedTag> Watched);

internal sealed record AnomalySettingsInput(IReadOnlyList<WatchedTagInput>? Watched, string? Severity);

internal sealed record WatchedTagInput(string? Tag, string? Sensitivity);

/// <summary>One anomalous reading as the API shows it, with the explanation its alarm carried.</summary>
internal sealed record AnomalyDto(
    long Id, long MachineId, string Tag, string Context, DateTimeOffset At, double Value, double Score, double RawScore, double Rarity,
    string Cause, double ExpectedLow, double ExpectedHigh, DateTimeOffset Since, string Explanation, string? Feedback, string? FeedbackBy, DateTimeOffset? FeedbackAt);

/// <summary>What one series' detector in one context has learned and last said, from memory.</summary>
internal sealed record SeriesContextDto(string Context, long Learned, double? LastScore, double? LastValue, DateTimeOffset? LastAt, double? ExpectedLow, double? ExpectedHigh);

internal sealed record SeriesStatusDto(string Tag, string Sensitivity, bool AlarmOpen, IReadOnlyDictionary<string, double> Discounts, IReadOnlyList<SeriesContextDto> Contexts);

internal sealed record MachineAnomaliesDto(long MachineId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<SeriesStatusDto> Series, IReadOnlyList<AnomalyDto> Anomalies);

/// <summary>One minute of a series' band: the range its detector expected there, the highest score, how many readings were scored.</summary>
internal sealed record BandMinuteDto(DateTimeOffset Minute, string Context, double ExpectedLow, double ExpectedHigh, double MaxScore, long Readings);

/// <summary>A tag's band of expected values and its anomalies over [from, to): what the machine page draws around the tag's chart.</summary>
internal sealed record AnomalyBandDto(long MachineId, string Tag, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<BandMinuteDto> Band, IReadOnlyList<AnomalyDto> Anomalies);

internal sealed record FeedbackInput(string? Verdict, string? Comment);

internal sealed class AnomalyRow
{
    public const string Columns =
        "id, machine_id, series_id, tag, context, at, value, score, raw_score, rarity, cause, expected_low, expected_high, since_at, explanation, feedback, feedback_by, feedback_at";

    public long Id { get; set; }
    public long MachineId { get; set; }
    public long SeriesId { get; set; }
    public string Tag { get; set; } = "";
    public string Context { get; set; } = "";
    public long At { get; set; }
    public double Value { get; set; }
    public double Score { get; set; }
    public double RawScore { get; set; }
    public double Rarity { get; set; }
    public string Cause { get; set; } = "";
    public double ExpectedLow { get; set; }
    public double ExpectedHigh { get; set; }
    public long SinceAt { get; set; }
    public string Explanation { get; set; } = "";
    public string? Feedback { get; set; }
    public string? FeedbackBy { get; set; }
    public long? FeedbackAt { get; set; }

    public AnomalyDto AsDto() => new(Id, MachineId, Tag, Context, Time(At), Value, Score, RawScore, Rarity, Cause, ExpectedLow, ExpectedHigh,
        Time(SinceAt), Explanation, Feedback, FeedbackBy, FeedbackAt is { } f ? Time(f) : null);

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
