namespace Millwright.Features.Fleet;

/// <summary>
/// The ISO 15143-3 (AEMP 2.0) elements this platform serves and the telemetry tag behind each, the mapping that
/// docs/fleet.md documents. Names, children and unit words follow the standard; the tags are the ones the
/// simulator's excavators report, so any machine that reports them under these names is fleet equipment.
/// </summary>
internal static class AempCatalog
{
    /// <summary>The standard's XML namespace.</summary>
    public const string Namespace = "http://standards.iso.org/iso/15143/-3";

    public static IReadOnlyList<AempElement> Elements { get; } =
    [
        new("Location", "LocationMessages", "latitude", "degree (WGS 84), altitude in metre", AempDerivation.None,
        [
            AempField.FromTag("Latitude", "latitude"), AempField.FromTag("Longitude", "longitude"),
            AempField.FromTag("Altitude", "altitude"), AempField.Fixed("AltitudeUnits", "metre"),
        ]),
        new("CumulativeIdleHours", "CumulativeIdleHoursMessages", "idle_hours", "hour", AempDerivation.None, [AempField.FromTag("Hour", "idle_hours")]),
        new("CumulativeOperatingHours", "CumulativeOperatingHoursMessages", "engine_hours", "hour", AempDerivation.None, [AempField.FromTag("Hour", "engine_hours")]),
        new("Distance", "DistanceMessages", "odometer", "kilometre", AempDerivation.None,
            [AempField.Fixed("OdometerUnits", "kilometre"), AempField.FromTag("Odometer", "odometer")]),
        new("EngineStatus", "EngineStatusMessages", "engine_running", "boolean", AempDerivation.None, [AempField.FromTag("Running", "engine_running")]),
        new("FuelUsed", "FuelUsedMessages", "fuel_used", "litre", AempDerivation.None,
            [AempField.Fixed("FuelUnits", "litre"), AempField.FromTag("FuelConsumed", "fuel_used")]),
        new("FuelUsedLast24", "FuelUsedLast24Messages", "fuel_used", "litre", AempDerivation.Increase24h,
            [AempField.Fixed("FuelUnits", "litre"), AempField.Derived("FuelConsumed")]),
        new("FuelRemaining", "FuelRemainingMessages", "fuel_level", "percent", AempDerivation.None, [AempField.FromTag("Percent", "fuel_level")]),
        new("DEFRemaining", "DEFRemainingMessages", "def_level", "percent", AempDerivation.None, [AempField.FromTag("Percent", "def_level")]),
        new("CumulativeLoadCount", "CumulativeLoadCountMessages", "load_count", "count", AempDerivation.None, [AempField.FromTag("Count", "load_count")]),
        new("CumulativePayloadTotals", "CumulativePayloadTotalMessages", "payload_total", "tonne", AempDerivation.None,
            [AempField.Fixed("PayloadUnits", "tonne"), AempField.FromTag("Payload", "payload_total")]),
        new("AverageLoadFactorLast24", "AverageLoadFactorLast24Messages", "load_factor", "percent", AempDerivation.Mean24h, [AempField.Derived("Percent")]),
        new("CumulativePowerTakeOffHours", "CumulativePowerTakeOffHoursMessages", "pto_hours", "hour", AempDerivation.None, [AempField.FromTag("Hour", "pto_hours")]),
    ];

    /// <summary>The code lists (time series only, as in the standard): each occurrence of a non-zero code.</summary>
    public static IReadOnlyList<AempCodeList> CodeLists { get; } =
    [
        new("FaultCodes", "FaultCodeMessages", "FaultCode", "fault_code", "fault_fmi", "fault_severity", "J1939"),
        new("CautionCodes", "CautionCodeMessages", "CautionCode", "caution_code", null, "caution_severity", "OEM"),
    ];

    /// <summary>The tags whose points are the elements' occurrences (each element's first tag).</summary>
    public static IReadOnlySet<string> BaseTags { get; } = Elements.Select(e => e.BaseTag).ToHashSet(StringComparer.Ordinal);

    public static AempElement? Find(string name) =>
        Elements.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public static AempCodeList? FindCodes(string name) =>
        CodeLists.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The names a time-series URL accepts, for error messages and docs.</summary>
    public static IEnumerable<string> SeriesNames => Elements.Select(e => e.Name).Concat(CodeLists.Select(c => c.Name));
}
