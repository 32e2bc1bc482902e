namespace Millwright.Learning;

/// <summary>
/// The detector's answer for one reading. <see cref="Score"/> is in [0, 1]; <see cref="Rarity"/> is roughly how
/// many ordinary readings there are per reading this unusual (for a person: "1 in 4,000");
/// <see cref="ExpectedLow"/>..<see cref="ExpectedHigh"/> is the band the detector expected the value in.
/// <see cref="SinceMs"/> is when the current unusual episode began (0 when there is none).
/// </summary>
public readonly record struct AnomalyVerdict(
    double Score,
    AnomalyCause Cause,
    double Rarity,
    double ExpectedLow,
    double ExpectedHigh,
    long SinceMs,
    ReadingStatus Status);
