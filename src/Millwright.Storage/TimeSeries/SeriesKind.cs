namespace Millwright.Storage.TimeSeries;

/// <summary>What a series' values mean; fixed when the series is first written.</summary>
public enum SeriesKind : byte
{
    /// <summary>A measurement (temperature, speed).</summary>
    Gauge,

    /// <summary>A monotonic count that may reset to zero or wrap at a declared modulus; rollups carry its increase.</summary>
    Counter,

    /// <summary>0 or 1; the average of a bucket is the fraction of samples that were true.</summary>
    Boolean,

    /// <summary>UTF-8 text (a state name, an alarm message); no rollups.</summary>
    Text,
}
