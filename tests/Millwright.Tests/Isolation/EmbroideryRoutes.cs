namespace Millwright.Tests.Isolation;

/// <summary>The embroidery routes for <see cref="Routes"/>: designs by id are 404 to a stranger; the stitch file takes only a device credential.</summary>
public static class EmbroideryRoutes
{
    public static IEnumerable<Route> Build()
    {
        const string p = "/api/v1/embroidery";
        static string Design(RouteTarget t) => $"{p}/designs/{t.Embroidery.DesignId}";
        return
        [
            new("GET", $"{p}/designs/", RouteScope.Tenant, _ => $"{p}/designs"),
            new("POST", $"{p}/designs/", RouteScope.Tenant, _ => $"{p}/designs?name=hijacked", _ => new { svg = "hijacked" }),
            new("GET", $"{p}/designs/{{id:long}}", RouteScope.Tenant, Design),
            new("GET", $"{p}/designs/{{id:long}}/dst", RouteScope.Tenant, t => $"{Design(t)}/dst"),
            new("GET", $"{p}/designs/{{id:long}}/exp", RouteScope.Tenant, t => $"{Design(t)}/exp"),
            new("GET", $"{p}/designs/{{id:long}}/preview.png", RouteScope.Tenant, t => $"{Design(t)}/preview.png"),
            new("GET", $"{p}/designs/{{id:long}}/preview.svg", RouteScope.Tenant, t => $"{Design(t)}/preview.svg"),
            new("POST", $"{p}/designs/{{id:long}}/orders", RouteScope.Tenant, t => $"{Design(t)}/orders",
                t => new { customer = "hijacked", itemId = t.Plant.ItemId, siteId = t.Plant.SiteId, quantity = 1, dueAt = DateTimeOffset.UtcNow.AddDays(1) }),
            new("GET", $"{p}/kpis", RouteScope.Tenant, _ => $"{p}/kpis") { OwnSettings = true },
            new("GET", $"{p}/designs/{{id:long}}/machines/{{machineId:long}}", RouteScope.Tenant, t => $"{Design(t)}/machines/{t.Plant.MachineId}"),
            new("GET", $"{p}/machines/{{machineId:long}}", RouteScope.Tenant, t => $"{p}/machines/{t.Plant.MachineId}"),
            new("GET", $"{p}/machines/{{machineId:long}}/design", RouteScope.Tenant, t => $"{p}/machines/{t.Plant.MachineId}/design"),
            new("PUT", $"{p}/machines/{{machineId:long}}", RouteScope.Tenant, t => $"{p}/machines/{t.Plant.MachineId}", _ => new { needles = new[] { "#000000" } }),
            new("GET", $"{p}/stitch-files/{{sha256}}", RouteScope.Device, t => $"{p}/stitch-files/{t.Embroidery.Sha256}"),
            new("GET", $"{p}/stitch-files/{{sha256}}/needles", RouteScope.Device, t => $"{p}/stitch-files/{t.Embroidery.Sha256}/needles"),
        ];
    }
}
