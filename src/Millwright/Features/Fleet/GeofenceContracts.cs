using Millwright.Fleet;

namespace Millwright.Features.Fleet;

/// <summary>A geofence as GeoJSON (RFC 7946): a Feature with a Polygon geometry and the site's properties.</summary>
internal sealed record GeofenceFeatureDto(string Type, long Id, GeofenceGeometryDto Geometry, GeofencePropertiesDto Properties);

internal sealed record GeofenceGeometryDto(string Type, double[][][] Coordinates);

internal sealed record GeofencePropertiesDto(string Name, string Kind, string TimeZone, WorkingHoursDto? WorkingHours, DateTimeOffset UpdatedAt);

internal sealed record WorkingHoursDto(string From, string To, IReadOnlyList<string> Days);

internal sealed record GeofenceCollectionDto(string Type, IReadOnlyList<GeofenceFeatureDto> Features);

/// <summary>The geofences a machine must stay inside (empty: anywhere).</summary>
internal sealed record AllowedAreasDto(long MachineId, IReadOnlyList<long> GeofenceIds);

internal sealed record AllowedAreasInput(IReadOnlyList<long>? GeofenceIds);

/// <summary>A machine crossed a geofence's boundary at the device time of the report.</summary>
internal sealed record GeofenceEventDto(long Id, long MachineId, string MachineName, long GeofenceId, string GeofenceName, string Kind, DateTimeOffset At, double Latitude, double Longitude);

internal sealed class GeofenceRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Geometry { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public long? WorkFrom { get; set; }
    public long? WorkTo { get; set; }
    public long? WorkDays { get; set; }
    public long UpdatedAt { get; set; }

    public WorkingHours? Hours => WorkFrom is { } f && WorkTo is { } t && WorkDays is { } d ? new WorkingHours((int)f, (int)t, (int)d) : null;

    public GeofenceFeatureDto AsDto() => new("Feature", Id, new GeofenceGeometryDto("Polygon", GeofenceDocument.RingsOf(Geometry)),
        new GeofencePropertiesDto(Name, Kind, TimeZone, Hours is { } h ? new WorkingHoursDto(h.From, h.To, h.DayList) : null, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt)));
}

internal sealed class GeofenceEventRow
{
    public long Id { get; set; }
    public long MachineId { get; set; }
    public string MachineName { get; set; } = "";
    public long GeofenceId { get; set; }
    public string GeofenceName { get; set; } = "";
    public string Kind { get; set; } = "";
    public long At { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }

    public GeofenceEventDto AsDto() => new(Id, MachineId, MachineName, GeofenceId, GeofenceName, Kind, DateTimeOffset.FromUnixTimeMilliseconds(At), Latitude, Longitude);
}
