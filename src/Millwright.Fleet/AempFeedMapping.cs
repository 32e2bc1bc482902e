using System.Globalization;
using System.Xml.Linq;

namespace Millwright.Fleet;

/// <summary>
/// Which child of which ISO 15143-3 element becomes which platform tag (the table in docs/fleet.md, read backwards),
/// and the unit conversions to the platform's units.
/// </summary>
internal static class AempFeedMapping
{
    public static readonly IReadOnlyDictionary<string, (string Child, string Tag)[]> Elements = new Dictionary<string, (string, string)[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["Location"] = [("Latitude", "latitude"), ("Longitude", "longitude"), ("Altitude", "altitude")],
        ["CumulativeOperatingHours"] = [("Hour", "engine_hours")],
        ["CumulativeIdleHours"] = [("Hour", "idle_hours")],
        ["Distance"] = [("Odometer", "odometer")],
        ["EngineStatus"] = [("Running", "engine_running")],
        ["FuelUsed"] = [("FuelConsumed", "fuel_used")],
        ["FuelRemaining"] = [("Percent", "fuel_level")],
        ["DEFRemaining"] = [("Percent", "def_level")],
        ["CumulativeLoadCount"] = [("Count", "load_count")],
        ["CumulativePayloadTotals"] = [("Payload", "payload_total")],
        ["CumulativePowerTakeOffHours"] = [("Hour", "pto_hours")],
    };

    /// <summary>The standard's spelling of an element name matched case-insensitively, or null when it is not one we import.</summary>
    public static string? Canonical(string name) => Elements.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value in the platform's unit, or null when it is not a number in range or its unit is unknown.</summary>
    public static (double Number, bool IsFlag)? Convert(string element, string tag, string text, XElement parent)
    {
        text = text.Trim();
        if (tag == "engine_running")
        {
            return text.ToLowerInvariant() switch
            {
                "true" or "1" => (1, true),
                "false" or "0" => (0, true),
                _ => null,
            };
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return null;
        }

        double? factor = element switch
        {
            "Location" when tag == "altitude" => Unit(parent, "AltitudeUnits", ("metre", 1), ("meter", 1), ("metres", 1), ("meters", 1), ("m", 1), ("feet", 0.3048), ("foot", 0.3048), ("ft", 0.3048)),
            "Distance" => Unit(parent, "OdometerUnits", ("kilometre", 1), ("kilometer", 1), ("kilometres", 1), ("kilometers", 1), ("km", 1), ("mile", 1.609344), ("miles", 1.609344), ("mi", 1.609344)),
            "FuelUsed" => Unit(parent, "FuelUnits", ("litre", 1), ("liter", 1), ("litres", 1), ("liters", 1), ("l", 1), ("gallon", 3.785411784), ("gallons", 3.785411784), ("gal", 3.785411784)),
            "CumulativePayloadTotals" => Unit(parent, "PayloadUnits", ("tonne", 1), ("tonnes", 1), ("metric tonne", 1), ("t", 1), ("kilogram", 0.001), ("kg", 0.001)),
            _ => 1,
        };
        if (factor is not { } f)
        {
            return null;
        }

        value *= f;
        var inRange = tag switch
        {
            "latitude" => value is >= -90 and <= 90,
            "longitude" => value is >= -180 and <= 180,
            "fuel_level" or "def_level" => value is >= 0 and <= 100,
            "altitude" => true,
            _ => value >= 0, // counters
        };
        return inRange ? (value, false) : null;
    }

    /// <summary>The factor of the element's unit child; a missing unit is the platform's own.</summary>
    private static double? Unit(XElement parent, string child, params (string Name, double Factor)[] known)
    {
        var unit = AempFeedParser.Child(parent, child)?.Value.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(unit))
        {
            return 1;
        }

        foreach (var (name, factor) in known)
        {
            if (unit == name)
            {
                return factor;
            }
        }

        return null;
    }
}
