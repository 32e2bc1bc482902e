namespace Millwright.Features.Fleet;

internal enum AempSource
{
    /// <summary>The latest value of a telemetry tag at (or before) the element's time.</summary>
    Tag,

    /// <summary>A constant, such as the unit word "litre".</summary>
    Fixed,

    /// <summary>Computed from the element's base tag over the 24 hours before its time (<see cref="AempDerivation"/>).</summary>
    Derived,
}
