namespace Millwright.Tests.Isolation;

/// <summary>The made-to-measure routes for <see cref="Routes"/>: customers and orders by id are 404 to a stranger; pattern files take only a device credential.</summary>
public static class TailoringRoutes
{
    public static IEnumerable<Route> Build()
    {
        const string p = "/api/v1/c2m";
        static string Order(RouteTarget t) => $"{p}/orders/{t.Tailoring.OrderId}";
        return
        [
            new("GET", $"{p}/customers/", RouteScope.Tenant, _ => $"{p}/customers"),
            new("POST", $"{p}/customers/", RouteScope.Tenant, _ => $"{p}/customers", _ => new { name = "hijacked", sex = "male", measurements = new { stature = 1780 } }),
            new("GET", $"{p}/customers/{{id:long}}", RouteScope.Tenant, t => $"{p}/customers/{t.Tailoring.CustomerId}"),
            new("PUT", $"{p}/customers/{{id:long}}", RouteScope.Tenant, t => $"{p}/customers/{t.Tailoring.CustomerId}",
                _ => new { name = "hijacked", sex = "male", measurements = new { stature = 1780, weightkg = 820 } }),
            new("DELETE", $"{p}/customers/{{id:long}}", RouteScope.Tenant, t => $"{p}/customers/{t.Tailoring.CustomerId}"),
            new("GET", $"{p}/orders/", RouteScope.Tenant, _ => $"{p}/orders"),
            new("POST", $"{p}/orders/", RouteScope.Tenant, _ => $"{p}/orders",
                t => new { customerId = t.Tailoring.CustomerId, garment = "jacket", customer = "hijacked", itemId = t.Plant.ItemId, siteId = t.Plant.SiteId, dueAt = DateTimeOffset.UtcNow.AddDays(1) }),
            new("GET", $"{p}/orders/{{orderId:long}}", RouteScope.Tenant, Order),
            new("GET", $"{p}/orders/{{orderId:long}}/pattern.svg", RouteScope.Tenant, t => $"{Order(t)}/pattern.svg"),
            new("GET", $"{p}/orders/{{orderId:long}}/marker.svg", RouteScope.Tenant, t => $"{Order(t)}/marker.svg"),
            new("GET", $"{p}/orders/{{orderId:long}}/pattern.dxf", RouteScope.Tenant, t => $"{Order(t)}/pattern.dxf"),
            new("GET", $"{p}/orders/{{orderId:long}}/marker.json", RouteScope.Tenant, t => $"{Order(t)}/marker.json"),
            new("GET", $"{p}/kpis", RouteScope.Tenant, _ => $"{p}/kpis") { OwnSettings = true },
            new("GET", $"{p}/files/{{sha256}}", RouteScope.Device, t => $"{p}/files/{t.Tailoring.DxfSha256}"),
        ];
    }
}
