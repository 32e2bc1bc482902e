namespace Millwright.Learning;

/// <summary>What the detector did with a reading (docs/anomaly-detection.md describes each case).</summary>
public enum ReadingStatus
{
    /// <summary>Scored and learned from.</summary>
    Learned = 0,

    /// <summary>Too early to judge: the detector is still learning the series (score 0).</summary>
    WarmingUp = 1,

    /// <summary>NaN or infinite: ignored, score 0.</summary>
    NotFinite = 2,

    /// <summary>Timestamp not after the last learned one (duplicate or out of order): scored, not learned.</summary>
    OutOfOrder = 3,
}
