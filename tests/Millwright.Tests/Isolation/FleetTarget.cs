using Millwright.Tests.Harness;

namespace Millwright.Tests.Isolation;

/// <summary>Tenant A's fleet operations for the walks: a job site named with the marker that A's machine is allowed in.</summary>
public sealed record FleetTarget(long GeofenceId, long MachineId, long SourceId, long IntervalId = 0, long RequestId = 0, long PlanId = 0, long OperatorId = 0)
{
    public static readonly FleetTarget None = new(0, 0, 0);

    public static async Task<FleetTarget> CreateAsync(TestTenant a, Plant plant)
    {
        var site = await a.Operator.PostJsonAsync("/api/v1/fleet/geofences", new
        {
            type = "Feature",
            geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { 10.0, 50.0 }, [10.1, 50.0], [10.1, 50.1], [10.0, 50.0] } } },
            properties = new { name = $"{plant.Marker} site", kind = "job_site" },
        }, System.Net.HttpStatusCode.Created);
        await a.Operator.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/allowed-areas", new { geofenceIds = new[] { site.Id() } }, System.Net.HttpStatusCode.OK);
        // Polled on request only, so that no background poll changes its status between a walk's two snapshots.
        var source = await a.Admin.PostJsonAsync("/api/v1/fleet/import-sources", new
        {
            name = $"{plant.Marker} feed", url = "http://127.0.0.1:9/Fleet", username = plant.Marker, password = plant.Marker, lineId = plant.LineId, machineTypeId = plant.TypeId, intervalSeconds = 0,
        }, System.Net.HttpStatusCode.Created);
        var interval = await a.Operator.PostJsonAsync("/api/v1/fleet/service-intervals", new { oemName = plant.Marker, model = plant.Marker, name = "250 h", everyHours = 250 },
            System.Net.HttpStatusCode.Created);
        // A's stored allocation: the plant machine offered, a request named with the marker, and one plan revision.
        await a.Operator.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/allocation-profile", new { category = "excavator", capabilities = new { bucket_m3 = 2.0 }, dailyRate = 100.0 },
            System.Net.HttpStatusCode.OK);
        var request = await a.Operator.PostJsonAsync("/api/v1/fleet/site-requests", SiteRequest($"{plant.Marker} site"), System.Net.HttpStatusCode.Created);
        var driver = await a.Operator.PostJsonAsync("/api/v1/fleet/operators", Driver($"{plant.Marker} driver"), System.Net.HttpStatusCode.Created);
        var plan = await a.Operator.PostJsonAsync("/api/v1/fleet/allocation-plans", new { reason = $"{plant.Marker} plan" }, System.Net.HttpStatusCode.Created);
        return new FleetTarget(site.Id(), plant.MachineId, source.Id(), interval.Id(), request.Id(), plan.Id(), driver.Id());
    }

    public IEnumerable<string> SnapshotPaths() => ["/api/v1/fleet/geofences", $"/api/v1/fleet/geofences/{GeofenceId}", $"/api/v1/machines/{MachineId}/allowed-areas",
        "/api/v1/fleet/import-sources", $"/api/v1/fleet/import-sources/{SourceId}", "/api/v1/fleet/service-intervals",
        $"/api/v1/machines/{MachineId}/allocation-profile", "/api/v1/fleet/site-requests", $"/api/v1/fleet/site-requests/{RequestId}",
        "/api/v1/fleet/allocation-plans", $"/api/v1/fleet/allocation-plans/{PlanId}", "/api/v1/fleet/operators", $"/api/v1/fleet/operators/{OperatorId}"];

    private static object Driver(string name) => new { name, licences = new[] { new { category = "excavator", validFrom = "2029-01-01T00:00:00Z", validTo = "2031-01-01T00:00:00Z" } } };

    private static object SiteRequest(string site) => new
    {
        site, category = "excavator", minCapabilities = new { bucket_m3 = 1.0 }, latitude = 50.0, longitude = 10.0, from = "2030-01-01T00:00:00Z", to = "2030-01-02T00:00:00Z",
    };

    /// <summary>The geofence routes: by id or by A's machine they are 404 to a stranger; the list and the events show the caller's own.</summary>
    public static IEnumerable<Route> Routes()
    {
        object Feed(RouteTarget t) => new { name = "hijacked", url = "http://127.0.0.1:9/steal", lineId = t.Plant.LineId, machineTypeId = t.Plant.TypeId, intervalSeconds = 0 };
        object Site(RouteTarget _) => new
        {
            type = "Feature",
            geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { 0.0, 0.0 }, [1.0, 0.0], [1.0, 1.0], [0.0, 0.0] } } },
            properties = new { name = "hijacked", kind = "depot" },
        };
        return
        [
            new("GET", "/api/v1/fleet/geofences/", RouteScope.Tenant, _ => "/api/v1/fleet/geofences") { OwnSettings = true },
            new("GET", "/api/v1/fleet/geofences/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/geofences/{t.Fleet.GeofenceId}"),
            new("POST", "/api/v1/fleet/geofences/", RouteScope.Tenant, _ => "/api/v1/fleet/geofences", Site),
            new("PUT", "/api/v1/fleet/geofences/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/geofences/{t.Fleet.GeofenceId}", Site),
            new("DELETE", "/api/v1/fleet/geofences/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/geofences/{t.Fleet.GeofenceId}"),
            new("GET", "/api/v1/fleet/geofence-events", RouteScope.Tenant, t => $"/api/v1/fleet/geofence-events?geofenceId={t.Fleet.GeofenceId}"),
            new("GET", "/api/v1/machines/{id:long}/allowed-areas/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/allowed-areas"),
            new("PUT", "/api/v1/machines/{id:long}/allowed-areas/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/allowed-areas",
                t => new { geofenceIds = Array.Empty<long>() }),
            new("GET", "/api/v1/fleet/import-sources/", RouteScope.Tenant, _ => "/api/v1/fleet/import-sources") { OwnSettings = true },
            new("GET", "/api/v1/fleet/import-sources/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/import-sources/{t.Fleet.SourceId}"),
            new("POST", "/api/v1/fleet/import-sources/", RouteScope.Admin, _ => "/api/v1/fleet/import-sources", t => Feed(t)),
            new("PUT", "/api/v1/fleet/import-sources/{id:long}", RouteScope.Admin, t => $"/api/v1/fleet/import-sources/{t.Fleet.SourceId}", t => Feed(t)),
            new("DELETE", "/api/v1/fleet/import-sources/{id:long}", RouteScope.Admin, t => $"/api/v1/fleet/import-sources/{t.Fleet.SourceId}"),
            new("POST", "/api/v1/fleet/import-sources/{id:long}/poll", RouteScope.Tenant, t => $"/api/v1/fleet/import-sources/{t.Fleet.SourceId}/poll", _ => new { }),
            // Bulk enrolment aimed at A's line and type: a stranger's batch names no line of its own, so it is refused and creates nothing.
            new("POST", "/api/v1/fleet/equipment", RouteScope.Tenant, _ => "/api/v1/fleet/equipment",
                t => new { lineId = t.Plant.LineId, machineTypeId = t.Plant.TypeId, machines = new[] { new { name = "hijacked", oemName = "x", model = "x", serialNumber = "x" } } }),
            new("GET", "/api/v1/fleet/health", RouteScope.Tenant, _ => "/api/v1/fleet/health") { OwnSettings = true },
            new("GET", "/api/v1/fleet/service-intervals/", RouteScope.Tenant, _ => "/api/v1/fleet/service-intervals") { OwnSettings = true },
            new("POST", "/api/v1/fleet/service-intervals/", RouteScope.Tenant, _ => "/api/v1/fleet/service-intervals", _ => new { oemName = "x", model = "x", name = "hijacked", everyDays = 1 }),
            new("PUT", "/api/v1/fleet/service-intervals/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/service-intervals/{t.Fleet.IntervalId}",
                _ => new { oemName = "x", model = "x", name = "hijacked", everyDays = 1 }),
            new("DELETE", "/api/v1/fleet/service-intervals/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/service-intervals/{t.Fleet.IntervalId}"),
            new("GET", "/api/v1/machines/{id:long}/services", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/services"),
            new("POST", "/api/v1/machines/{id:long}/services", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/services",
                t => new { intervalId = t.Fleet.IntervalId, operatingHours = 1.0 }),
            new("POST", "/api/v1/machines/{id:long}/service-visits", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/service-visits",
                t => new { intervalId = t.Fleet.IntervalId, from = "2030-01-01T00:00:00Z", to = "2030-01-01T04:00:00Z" }),
            new("GET", "/api/v1/fleet/maintenance", RouteScope.Tenant, _ => "/api/v1/fleet/maintenance") { OwnSettings = true },
            new("GET", "/api/v1/fleet/utilization", RouteScope.Tenant, _ => "/api/v1/fleet/utilization") { OwnSettings = true },
            new("GET", "/api/v1/fleet/positions", RouteScope.Tenant, _ => "/api/v1/fleet/positions") { OwnSettings = true },
            new("GET", "/api/v1/machines/{id:long}/utilization", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/utilization"),
            // The stored allocation: A's profile, requests and plans are 404 to a stranger; a stranger's plan cannot name A's machine as broken down.
            new("GET", "/api/v1/machines/{id:long}/allocation-profile/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/allocation-profile"),
            new("PUT", "/api/v1/machines/{id:long}/allocation-profile/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/allocation-profile",
                _ => new { category = "hijacked", dailyRate = 1.0 }),
            new("DELETE", "/api/v1/machines/{id:long}/allocation-profile/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/allocation-profile"),
            new("GET", "/api/v1/fleet/site-requests/", RouteScope.Tenant, _ => "/api/v1/fleet/site-requests") { OwnSettings = true },
            new("GET", "/api/v1/fleet/site-requests/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/site-requests/{t.Fleet.RequestId}"),
            new("POST", "/api/v1/fleet/site-requests/", RouteScope.Tenant, _ => "/api/v1/fleet/site-requests", _ => SiteRequest("hijacked")),
            new("PUT", "/api/v1/fleet/site-requests/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/site-requests/{t.Fleet.RequestId}", _ => SiteRequest("hijacked")),
            new("POST", "/api/v1/fleet/site-requests/{id:long}/cancel", RouteScope.Tenant, t => $"/api/v1/fleet/site-requests/{t.Fleet.RequestId}/cancel", _ => new { }),
            new("GET", "/api/v1/fleet/allocation-plans/", RouteScope.Tenant, _ => "/api/v1/fleet/allocation-plans") { OwnSettings = true },
            new("GET", "/api/v1/fleet/allocation-plans/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/allocation-plans/{t.Fleet.PlanId}"),
            new("POST", "/api/v1/fleet/allocation-plans/", RouteScope.Tenant, _ => "/api/v1/fleet/allocation-plans", t => new { brokenDown = new[] { t.Plant.MachineId } }),
            new("GET", "/api/v1/fleet/operators/", RouteScope.Tenant, _ => "/api/v1/fleet/operators") { OwnSettings = true },
            new("GET", "/api/v1/fleet/operators/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/operators/{t.Fleet.OperatorId}"),
            new("POST", "/api/v1/fleet/operators/", RouteScope.Tenant, _ => "/api/v1/fleet/operators", _ => new { name = "hijacked" }),
            new("PUT", "/api/v1/fleet/operators/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/operators/{t.Fleet.OperatorId}", _ => new { name = "hijacked" }),
            new("DELETE", "/api/v1/fleet/operators/{id:long}", RouteScope.Tenant, t => $"/api/v1/fleet/operators/{t.Fleet.OperatorId}"),
            new("POST", "/api/v1/fleet/allocation-plans/{id:long}/accept", RouteScope.Tenant, t => $"/api/v1/fleet/allocation-plans/{t.Fleet.PlanId}/accept", _ => new { }),
        ];
    }
}
