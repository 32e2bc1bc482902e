using Millwright.Fleet;
using Millwright.Api;

namespace Millwright.Features.Fleet;

/// <summary>A tenant's geofences and allowed areas as the watcher holds them between changes.</summary>
internal sealed class GeofenceIndex(IReadOnlyList<GeofenceFence> fences, IReadOnlyDictionary<long, long[]> allowed)
{
    public IReadOnlyList<GeofenceFence> Fences { get; } = fences;

    public GeofenceFence? Find(long id) => Fences.FirstOrDefault(f => f.Id == id);

    /// <summary>The geofences a machine must stay inside; empty when it may go anywhere.</summary>
    public long[] AllowedFor(long machineId) => allowed.TryGetValue(machineId, out var ids) ? ids : [];

    public static async Task<GeofenceIndex> LoadAsync(Session s)
    {
        var fences = (await Geofences.ListAsync(s))
            .Select(r => new GeofenceFence(r.Id, r.Name, GeofenceDocument.Polygon(GeofenceDocument.RingsOf(r.Geometry)),
                TimeZoneInfo.TryFindSystemTimeZoneById(r.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc, r.Hours))
            .ToList();
        var pairs = await s.QueryAsync<(long Machine, long Geofence)>(
            "SELECT machine_id, geofence_id FROM fleet_allowed_areas WHERE tenant_id = @Tenant", new { s.Tenant });
        var allowed = pairs.GroupBy(p => p.Machine).ToDictionary(g => g.Key, g => g.Select(p => p.Geofence).ToArray());
        return new GeofenceIndex(fences, allowed);
    }
}
