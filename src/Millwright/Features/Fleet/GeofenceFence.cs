using Millwright.Fleet;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Millwright.Features.Fleet;

/// <summary>One geofence as the watcher tests points against it: prepared once per load, used by the watcher's loop only.</summary>
internal sealed class GeofenceFence(long id, string name, Polygon polygon, TimeZoneInfo zone, WorkingHours? hours)
{
    private readonly IPreparedGeometry _prepared = PreparedGeometryFactory.Prepare(polygon);
    private readonly Envelope _envelope = polygon.EnvelopeInternal;

    public long Id { get; } = id;

    public string Name { get; } = name;

    public TimeZoneInfo Zone { get; } = zone;

    public WorkingHours? Hours { get; } = hours;

    /// <summary>Inside or on the boundary (a machine parked on the fence line is on the site).</summary>
    public bool Contains(double latitude, double longitude) =>
        _envelope.Covers(longitude, latitude) && _prepared.Covers(GeofenceDocument.Factory.CreatePoint(new Coordinate(longitude, latitude)));

    public bool IsAfterHours(long at) => Hours is { } h && !h.IsWorking(Zone, at);
}
