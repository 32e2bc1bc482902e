namespace Millwright.Tests.Isolation;

/// <summary>The anomaly routes (issue 21): everything is addressed by the victim's machine or machine type, so a stranger gets 404.</summary>
internal static class AnomalyRoutes
{
    public static IEnumerable<Route> Build() =>
    [
        new("GET", "/api/v1/machine-types/{typeId:long}/anomaly-settings/", RouteScope.Tenant, t => $"/api/v1/machine-types/{t.Plant.TypeId}/anomaly-settings"),
        new("PUT", "/api/v1/machine-types/{typeId:long}/anomaly-settings/", RouteScope.Admin, t => $"/api/v1/machine-types/{t.Plant.TypeId}/anomaly-settings",
            _ => new { watched = Array.Empty<object>() }),
        new("GET", "/api/v1/machines/{id:long}/anomalies", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/anomalies"),
        new("GET", "/api/v1/machines/{id:long}/anomalies/band", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/anomalies/band?tag=power"),
        new("POST", "/api/v1/machines/{id:long}/anomalies/{anomalyId:long}/feedback", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/anomalies/1/feedback",
            _ => new { verdict = "false" }),
    ];
}
