namespace Millwright.Features.Fleet;

/// <summary>How a "last 24 hours" element is computed from its base tag.</summary>
internal enum AempDerivation
{
    /// <summary>Read as reported.</summary>
    None,

    /// <summary>The base counter's value at the element's time minus its first value in the 24 hours before.</summary>
    Increase24h,

    /// <summary>The mean of the base tag's points in the 24 hours up to the element's time.</summary>
    Mean24h,
}
