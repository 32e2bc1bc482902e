using Millwright.Fleet;

namespace Millwright.Fuzzing;

/// <summary>
/// `geofence`: the GeoJSON Feature a tenant posts as a job site or depot. Every mutated document must parse to a
/// valid polygon with closed, in-range rings, or be refused with <see cref="FleetFormatException"/> naming a field.
/// </summary>
internal sealed class GeofenceFuzzing : IFuzzTarget
{
    public string Name => "geofence";

    public string Description => "GeoJSON job site / depot polygons (REST uploads)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) is not null, "accepted");

    public static IReadOnlyList<byte[]> Seeds() =>
    [
        """{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[9.99,49.99],[10.01,49.99],[10.01,50.01],[9.99,50.01],[9.99,49.99]]]},"properties":{"name":"Quarry","kind":"job_site","timeZone":"Europe/Berlin","workingHours":{"from":"07:00","to":"18:00","days":["mon","fri"]}}}"""u8.ToArray(),
        """{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0,5],[4,0,5],[4,4,5],[0,4,5],[0,0,5]],[[1,1],[2,1],[2,2],[1,1]]]},"properties":{"name":"Depot","kind":"depot","workingHours":{"from":"22:00","to":"06:00"}}}"""u8.ToArray(),
        """{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[10,50],[10.1,50.1],[10.1,50],[10,50.1],[10,50]]]},"properties":{"name":"Bow","kind":"depot"}}"""u8.ToArray(),
    ];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed);

    /// <summary>Parses; null when refused properly. An accepted polygon must hold what the parser promises.</summary>
    public static GeofenceDefinition? Check(byte[] input)
    {
        GeofenceDefinition definition;
        try
        {
            definition = GeofenceDocument.Parse(input);
        }
        catch (FleetFormatException e) when (e.Errors.Count > 0 && e.Errors.All(x => x.Value.Length > 0))
        {
            return null;
        }

        foreach (var ring in definition.Rings)
        {
            if (ring.Length < 4 || ring[0][0] != ring[^1][0] || ring[0][1] != ring[^1][1] || ring.Any(p => p[0] is < -180 or > 180 || p[1] is < -90 or > 90))
            {
                throw new InvalidOperationException("an accepted ring is open, short or out of range");
            }
        }

        if (!GeofenceDocument.Polygon(definition.Rings).IsValid)
        {
            throw new InvalidOperationException("an accepted polygon is not valid");
        }

        return definition;
    }
}
