using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Telemetry;

namespace Millwright.Features.Fleet;

/// <summary>
/// The tenant's machines as the stored allocation offers them: every fleet machine with an allocation profile,
/// priced from its latest reported location, away during the planned stops its site calendar names for it
/// (service visits). A machine without a location, or named broken down, is skipped with the reason.
/// </summary>
internal static class AllocationFleet
{
    public static async Task<(List<FleetMachine> Machines, List<SkippedMachine> Skipped)> LoadAsync(Session s, LatestValues latest, IReadOnlyCollection<long> brokenDown)
    {
        var profiles = await AllocationProfiles.ListAsync(s);
        var sites = (await s.QueryAsync<(long MachineId, long SiteId)>(
            """
            SELECT p.machine_id, a.site_id FROM fleet_allocation_profiles p
            JOIN machines m ON m.tenant_id = p.tenant_id AND m.id = p.machine_id
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            WHERE p.tenant_id = @Tenant
            """, new { s.Tenant })).ToDictionary(r => r.MachineId, r => r.SiteId);
        var stops = new Dictionary<long, List<TimeWindow>>();
        foreach (var siteId in sites.Values.Distinct())
        {
            foreach (var stop in (await SiteCalendars.GetAsync(s, siteId)).Calendar.PlannedStops.Where(p => p.MachineId is not null))
            {
                (stops.TryGetValue(stop.MachineId!.Value, out var list) ? list : stops[stop.MachineId.Value] = [])
                    .Add(new TimeWindow(stop.From.ToUnixTimeMilliseconds(), stop.To.ToUnixTimeMilliseconds()));
            }
        }

        var machines = new List<FleetMachine>();
        var skipped = new List<SkippedMachine>();
        foreach (var p in profiles)
        {
            var tags = latest.Of(s.Tenant, p.MachineId).ToDictionary(r => r.Tag, r => r.Value.Number);
            if (brokenDown.Contains(p.MachineId))
            {
                skipped.Add(new SkippedMachine(p.MachineId, "broken down"));
            }
            else if (!tags.TryGetValue("latitude", out var lat) || !tags.TryGetValue("longitude", out var lon) || !Coordinates.IsPosition(lat, lon))
            {
                skipped.Add(new SkippedMachine(p.MachineId, "has reported no valid location (latitude, longitude)"));
            }
            else
            {
                machines.Add(new FleetMachine(p.MachineId, p.Category, p.Capabilities, lat, lon, p.DailyRate, stops.TryGetValue(p.MachineId, out var away) ? away : []));
            }
        }

        return (machines, skipped);
    }
}
