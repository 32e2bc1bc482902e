namespace Millwright.Features.MachineTypes;

/// <summary>
/// The unit symbols a tag may carry, after SI and UCUM print symbols plus the shop-floor units machines
/// really report. A closed list keeps "kw", "KW" and "kW" from becoming three units in KPI maths.
/// </summary>
internal static class Units
{
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        // dimensionless and counts
        "1", "%", "ppm", "count", "parts", "stitches",
        // time and frequency
        "ms", "s", "min", "h", "d", "Hz", "kHz", "rpm", "1/min", "1/h", "parts/h",
        // length, position, speed
        "µm", "mm", "cm", "m", "km", "deg", "rad", "mm/s", "mm/min", "m/s", "m/min", "km/h",
        // mass and volume, flow
        "mg", "g", "kg", "t", "ml", "l", "m3", "g/s", "kg/h", "t/h", "l/min", "l/h", "m3/h",
        // force, torque, pressure
        "N", "kN", "N.m", "Pa", "kPa", "MPa", "bar", "mbar", "psi",
        // temperature
        "°C", "K", "°F",
        // electrical and energy
        "V", "kV", "mA", "A", "W", "kW", "MW", "VA", "kVA", "var", "kvar", "Wh", "kWh", "MWh", "J", "kJ", "MJ",
        // acceleration and vibration
        "m/s2", "g0", "mm/s rms",
        // fuel
        "l/100km",
    };
}
