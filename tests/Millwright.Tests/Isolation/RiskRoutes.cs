namespace Millwright.Tests.Isolation;

/// <summary>The failure-risk and maintenance-planning routes (issue 21): a stranger gets 404 on the victim's machine (and records no maintenance on it), and the list and the planning pass see only its own machines.</summary>
internal static class RiskRoutes
{
    public static IEnumerable<Route> Build() =>
    [
        new("GET", "/api/v1/machines/{id:long}/risk", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/risk"),
        new("GET", "/api/v1/risk", RouteScope.Tenant, _ => "/api/v1/risk"),
        new("GET", "/api/v1/machine-types/{typeId:long}/risk-settings/", RouteScope.Tenant, t => $"/api/v1/machine-types/{t.Plant.TypeId}/risk-settings"),
        new("PUT", "/api/v1/machine-types/{typeId:long}/risk-settings/", RouteScope.Admin, t => $"/api/v1/machine-types/{t.Plant.TypeId}/risk-settings",
            _ => new { acceptedRisk = 0.2, horizonHours = 24 }),

        new("GET", "/api/v1/machines/{id:long}/maintenance-records", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/maintenance-records"),
        new("POST", "/api/v1/machines/{id:long}/maintenance-records", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/maintenance-records",
            _ => new { kind = "maintenance", note = "done" }),

        // Plans the caller's own machines only: a stranger's pass finds none of the victim's.
        new("POST", "/api/v1/maintenance/plan", RouteScope.Tenant, _ => "/api/v1/maintenance/plan") { OwnSettings = true },
    ];
}
