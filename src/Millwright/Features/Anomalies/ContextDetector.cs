using Millwright.Learning;

namespace Millwright.Features.Anomalies;

/// <summary>One series' detector in one context, with what it last said (for the API) and whether it changed since saved.</summary>
internal sealed class ContextDetector(AnomalyDetector detector)
{
    public AnomalyDetector Detector { get; } = detector;

    public bool Dirty { get; set; }

    public double? LastScore { get; set; }

    public double? LastValue { get; set; }

    public long? LastAt { get; set; }

    public double? ExpectedLow { get; set; }

    public double? ExpectedHigh { get; set; }
}
