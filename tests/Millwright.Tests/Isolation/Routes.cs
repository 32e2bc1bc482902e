namespace Millwright.Tests.Isolation;

/// <summary>
/// Every route the host maps, listed by hand so that a new route cannot slip past the isolation walks:
/// <see cref="IsolationTests.The_route_table_covers_every_mapped_route"/> compares it with the endpoints.
/// </summary>
public static class Routes
{
    public static IReadOnlyList<Route> All { get; } = Build();

    /// <summary>A CA a stranger may trust for its own tenant's links (made once: an RSA key takes a moment).</summary>
    private static readonly Lazy<string> IntruderCa = new(() =>
    {
        using var ca = OpcUa.TestAuthorities.Authority("CN=Intruder CA");
        return OpcUa.TestAuthorities.Pem(ca);
    });

    private static List<Route> Build()
    {
        var routes = new List<Route>
        {
            new("GET", "/health", RouteScope.Anonymous, _ => "/health"),
            new("GET", "/metrics", RouteScope.Platform, _ => "/metrics"),
            new("GET", "/api/v1/quotas", RouteScope.Tenant, _ => "/api/v1/quotas") { OwnSettings = true },
            new("GET", "/api/v1/sparkplug/settings/", RouteScope.Tenant, _ => "/api/v1/sparkplug/settings") { OwnSettings = true },
            new("PUT", "/api/v1/sparkplug/settings/", RouteScope.Admin, _ => "/api/v1/sparkplug/settings", _ => new { strictBirths = true }) { OwnSettings = true },
            new("GET", "/openapi/{documentName}.json", RouteScope.Anonymous, _ => "/openapi/v1.json"),
            // The dashboard's static files hold no data; the page signs in through the API.
            new("GET", "/", RouteScope.Anonymous, _ => "/"),
            new("GET", "/dashboard", RouteScope.Anonymous, _ => "/dashboard"),
            new("GET", "/ui/{**path}", RouteScope.Anonymous, _ => "/ui/js/app.js"),
            new("GET", "/api/v1/tenants/", RouteScope.Platform, _ => "/api/v1/tenants"),
            new("GET", "/api/v1/tenants/{id:long}", RouteScope.Platform, t => $"/api/v1/tenants/{t.TenantId}"),
            new("POST", "/api/v1/tenants/", RouteScope.Platform, _ => "/api/v1/tenants", _ => new { slug = "intruder", name = "Intruder" }),
            new("PUT", "/api/v1/tenants/{id:long}", RouteScope.Platform, t => $"/api/v1/tenants/{t.TenantId}", _ => new { slug = "hijacked", name = "Hijacked" }),
            new("DELETE", "/api/v1/tenants/{id:long}", RouteScope.Platform, t => $"/api/v1/tenants/{t.TenantId}"),
            new("POST", "/api/v1/tenants/{tenantId:long}/api-keys", RouteScope.Platform, t => $"/api/v1/tenants/{t.TenantId}/api-keys", _ => new { name = "backdoor", role = "tenant_admin" }),
        };
        AddCrud(routes, "sites", t => t.Plant.SiteId, _ => new { name = "hijacked", timeZone = "UTC" });
        AddCrud(routes, "areas", t => t.Plant.AreaId, t => new { siteId = t.Plant.SiteId, name = "hijacked" });
        AddCrud(routes, "lines", t => t.Plant.LineId, t => new { areaId = t.Plant.AreaId, name = "hijacked" });
        AddCrud(routes, "machine-types", t => t.Plant.TypeId, _ => new { name = "hijacked", tags = Array.Empty<object>() });
        AddCrud(routes, "machines", t => t.Plant.MachineId, t => new { lineId = t.Plant.LineId, typeId = t.Plant.TypeId, name = "hijacked" });
        AddCrud(routes, "alarm-rules", t => t.AlarmRuleId, t => new
        {
            name = "hijacked", machineTypeId = t.Plant.TypeId, tag = "power", kind = "threshold", direction = "high", limit = 1, severity = "low", message = "x",
        });
        AddCrud(routes, "webhooks", t => t.WebhookId, _ => new { name = "hijacked", url = "http://127.0.0.1:9/steal", secret = "0123456789abcdef0123" });
        routes.AddRange(
        [
            new("GET", "/api/v1/webhooks/{id:long}/deliveries", RouteScope.Tenant, t => $"/api/v1/webhooks/{t.WebhookId}/deliveries"),
            new("GET", "/api/v1/alarms/", RouteScope.Tenant, _ => "/api/v1/alarms?state=all"),
            new("GET", "/api/v1/alarms/{id:long}", RouteScope.Tenant, t => $"/api/v1/alarms/{t.AlarmId}"),
            new("GET", "/api/v1/alarms/{id:long}/events", RouteScope.Tenant, t => $"/api/v1/alarms/{t.AlarmId}/events"),
            new("GET", "/api/v1/alarms/history", RouteScope.Tenant, _ => "/api/v1/alarms/history"),
            new("GET", "/api/v1/alarms/counts", RouteScope.Tenant, _ => "/api/v1/alarms/counts?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&bucket=week"),
            new("POST", "/api/v1/alarms/{id:long}/acknowledge", RouteScope.Tenant, t => $"/api/v1/alarms/{t.AlarmId}/acknowledge", _ => new { comment = "hijacked" }),
            new("POST", "/api/v1/alarms/{id:long}/shelve", RouteScope.Tenant, t => $"/api/v1/alarms/{t.AlarmId}/shelve", _ => new { minutes = 60, reason = "hijacked" }),
            new("POST", "/api/v1/alarms/{id:long}/unshelve", RouteScope.Tenant, t => $"/api/v1/alarms/{t.AlarmId}/unshelve"),
        ]);
        routes.AddRange(
        [
            new("POST", "/api/v1/machines/{machineId:long}/credentials/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/credentials"),
            new("GET", "/api/v1/machines/{machineId:long}/credentials/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/credentials"),
            new("DELETE", "/api/v1/machines/{machineId:long}/credentials/{id:long}", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/credentials/{t.Plant.CredentialId}"),
            new("GET", "/api/v1/api-keys/", RouteScope.Admin, _ => "/api/v1/api-keys?includeRevoked=true"),
            new("GET", "/api/v1/api-keys/{id:long}", RouteScope.Admin, t => $"/api/v1/api-keys/{t.KeyId}"),
            new("POST", "/api/v1/api-keys/", RouteScope.Admin, _ => "/api/v1/api-keys", _ => new { name = "extra", role = "viewer" }),
            new("DELETE", "/api/v1/api-keys/{id:long}", RouteScope.Admin, t => $"/api/v1/api-keys/{t.KeyId}"),
            new("GET", "/api/v1/audit", RouteScope.Admin, _ => "/api/v1/audit"),
            new("GET", "/api/v1/machines/{id:long}/latest", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/latest"),
            new("GET", "/api/v1/machines/{id:long}/telemetry-flags", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/telemetry-flags"),
            new("GET", "/api/v1/latest", RouteScope.Tenant, t => $"/api/v1/latest?site={t.Plant.SiteId}"),
            new("GET", "/api/v1/retention", RouteScope.Tenant, _ => "/api/v1/retention") { OwnSettings = true },
            new("PUT", "/api/v1/retention", RouteScope.Admin, _ => "/api/v1/retention", _ => new { rawDays = 60, minuteDays = 400, hourDays = (double?)null }) { OwnSettings = true },
            new("GET", "/api/v1/machines/{id:long}/series/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/series"),
            new("GET", "/api/v1/machines/{id:long}/series/{tag}/points", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/series/power/points"),
            new("GET", "/api/v1/machines/{id:long}/series/{tag}/points.csv", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/series/power/points.csv"),
            new("GET", "/api/v1/machines/{id:long}/series/{tag}/aggregate", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/series/power/aggregate"),
            new("GET", "/api/v1/machines/{id:long}/series/{tag}/chart", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/series/power/chart"),
            new("GET", "/api/v1/machines/{machineId:long}/modbus/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/modbus"),
            new("PUT", "/api/v1/machines/{machineId:long}/modbus/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/modbus",
                _ => new { host = "intruder.example", points = new object[] { new { tag = "x", address = 0 } } }),
            new("DELETE", "/api/v1/machines/{machineId:long}/modbus/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/modbus"),
            new("GET", "/api/v1/machines/{machineId:long}/energy-meter/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/energy-meter"),
            new("PUT", "/api/v1/machines/{machineId:long}/energy-meter/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/energy-meter", _ => new { counterTag = "power" }),
            new("DELETE", "/api/v1/machines/{machineId:long}/energy-meter/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/energy-meter"),
            new("GET", "/api/v1/energy", RouteScope.Tenant, t => $"/api/v1/energy?machine={t.Plant.MachineId}"),
            new("GET", "/api/v1/energy.csv", RouteScope.Tenant, t => $"/api/v1/energy.csv?site={t.Plant.SiteId}"),
            new("GET", "/api/v1/machines/{machineId:long}/opcua/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/opcua"),
            new("PUT", "/api/v1/machines/{machineId:long}/opcua/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/opcua",
                _ => new { endpoint = "opc.tcp://intruder.example:4840", nodes = new object[] { new { nodeId = "i=2258", tag = "x" } } }),
            new("DELETE", "/api/v1/machines/{machineId:long}/opcua/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/opcua"),
            new("POST", "/api/v1/machines/{machineId:long}/opcua/import", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/opcua/import", _ => new { depth = 2 }),
            new("POST", "/api/v1/machines/{machineId:long}/opcua/trust", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/opcua/trust", _ => new { thumbprint = new string('0', 64) }),
            new("GET", "/api/v1/opcua/trusted-cas/", RouteScope.Tenant, _ => "/api/v1/opcua/trusted-cas"),
            new("POST", "/api/v1/opcua/trusted-cas/", RouteScope.Tenant, _ => "/api/v1/opcua/trusted-cas", _ => new { certificate = IntruderCa.Value }),
            new("DELETE", "/api/v1/opcua/trusted-cas/{id:long}", RouteScope.Tenant, t => $"/api/v1/opcua/trusted-cas/{t.OpcUaCaId}"),
            new("POST", "/api/v1/telemetry", RouteScope.Device, _ => "/api/v1/telemetry", _ => new { values = new { spindle_speed = 1 } }),
            new("GET", "/api/v1/live", RouteScope.Tenant, _ => "/api/v1/live") { IsWebSocket = true },
            new("GET", "/api/v1/machine-types/{typeId:long}/state-rules/", RouteScope.Tenant, t => $"/api/v1/machine-types/{t.Plant.TypeId}/state-rules"),
            new("PUT", "/api/v1/machine-types/{typeId:long}/state-rules/", RouteScope.Tenant, t => $"/api/v1/machine-types/{t.Plant.TypeId}/state-rules",
                _ => new { rules = new object[] { new { state = "down", when = "power > 0" } } }),
            new("GET", "/api/v1/machines/{id:long}/states", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/states"),
            new("PUT", "/api/v1/machines/{id:long}/states/{stateId:long}/reason", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/states/1/reason",
                _ => new { reason = "hijacked" }),
            new("GET", "/api/v1/states", RouteScope.Tenant, t => $"/api/v1/states?site={t.Plant.SiteId}"),
            new("GET", "/api/v1/sites/{siteId:long}/calendar/", RouteScope.Tenant, t => $"/api/v1/sites/{t.Plant.SiteId}/calendar"),
            new("PUT", "/api/v1/sites/{siteId:long}/calendar/", RouteScope.Tenant, t => $"/api/v1/sites/{t.Plant.SiteId}/calendar",
                _ => new { shifts = Array.Empty<object>() }),
            new("GET", "/api/v1/kpis", RouteScope.Tenant, t => $"/api/v1/kpis?machine={t.Plant.MachineId}"),
            new("GET", "/api/v1/kpis/machines", RouteScope.Tenant, t => $"/api/v1/kpis/machines?site={t.Plant.SiteId}"),
            new("GET", "/api/v1/kpis/board", RouteScope.Tenant, _ => "/api/v1/kpis/board") { OwnSettings = true },
            new("GET", "/api/v1/inventory/movements", RouteScope.Tenant, t => $"/api/v1/inventory/movements?itemId={t.Plant.ItemId}"),
            new("POST", "/api/v1/inventory/movements", RouteScope.Tenant, _ => "/api/v1/inventory/movements",
                t => new { itemId = t.Plant.ItemId, siteId = t.Plant.SiteId, kind = "issue", quantity = 1 }),
            new("GET", "/api/v1/inventory/stock", RouteScope.Tenant, t => $"/api/v1/inventory/stock?siteId={t.Plant.SiteId}"),
            new("GET", "/api/v1/inventory/turnover", RouteScope.Tenant, t => $"/api/v1/inventory/turnover?siteId={t.Plant.SiteId}"),
        ]);
        AddCrud(routes, "inventory-items", t => t.Plant.ItemId, _ => new { sku = "hijacked", name = "hijacked", unitCost = 1 });
        routes.AddRange(
        [
            new("GET", "/api/v1/capabilities", RouteScope.Tenant, _ => "/api/v1/capabilities") { OwnSettings = true },
            new("GET", "/api/v1/machines/{id:long}/capabilities", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/capabilities"),
            new("PUT", "/api/v1/machines/{id:long}/capabilities", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/capabilities",
                _ => new { capabilities = new[] { "hijacked" } }),
            new("GET", "/api/v1/items/{itemId:long}/routing/", RouteScope.Tenant, t => $"/api/v1/items/{t.Plant.ItemId}/routing"),
            new("PUT", "/api/v1/items/{itemId:long}/routing/", RouteScope.Tenant, t => $"/api/v1/items/{t.Plant.ItemId}/routing",
                _ => new { operations = new[] { new { capability = "hijacked", unitSeconds = 1 } } }),
            new("DELETE", "/api/v1/items/{itemId:long}/routing/", RouteScope.Tenant, t => $"/api/v1/items/{t.Plant.ItemId}/routing"),
            new("GET", "/api/v1/orders/", RouteScope.Tenant, t => $"/api/v1/orders?siteId={t.Plant.SiteId}"),
            new("GET", "/api/v1/orders/{id:long}", RouteScope.Tenant, t => $"/api/v1/orders/{t.OrderId}"),
            new("POST", "/api/v1/orders/", RouteScope.Tenant, _ => "/api/v1/orders",
                t => new { customer = "hijacked", itemId = t.Plant.ItemId, siteId = t.Plant.SiteId, quantity = 1, dueAt = DateTimeOffset.UtcNow.AddDays(1) }),
            new("POST", "/api/v1/orders/{id:long}/release", RouteScope.Tenant, t => $"/api/v1/orders/{t.OrderId}/release"),
            new("POST", "/api/v1/orders/{id:long}/cancel", RouteScope.Tenant, t => $"/api/v1/orders/{t.OrderId}/cancel"),
            new("GET", "/api/v1/schedule/", RouteScope.Tenant, t => $"/api/v1/schedule?siteId={t.Plant.SiteId}"),
            new("POST", "/api/v1/schedule/replan", RouteScope.Tenant, _ => "/api/v1/schedule/replan") { OwnSettings = true },
            new("GET", "/api/v1/schedule/changes", RouteScope.Tenant, _ => "/api/v1/schedule/changes") { OwnSettings = true },
            new("POST", "/api/v1/schedule/what-if", RouteScope.Tenant, _ => "/api/v1/schedule/what-if",
                t => new { removeMachines = new[] { t.Plant.MachineId } }),
            new("POST", "/api/v1/schedule/what-if/{id:long}/apply", RouteScope.Tenant, t => $"/api/v1/schedule/what-if/{t.OrderId}/apply"),
            new("GET", "/api/v1/schedule/setup-families/", RouteScope.Tenant, _ => "/api/v1/schedule/setup-families") { OwnSettings = true },
            new("PUT", "/api/v1/schedule/setup-families/", RouteScope.Tenant, _ => "/api/v1/schedule/setup-families",
                _ => new { families = new[] { "hijacked" } }) { OwnSettings = true },
            new("PUT", "/api/v1/schedule/setup-families/programs/{program}", RouteScope.Tenant, _ => "/api/v1/schedule/setup-families/programs/hijacked",
                _ => new { family = "hijacked" }) { OwnSettings = true },
            new("DELETE", "/api/v1/schedule/setup-families/programs/{program}", RouteScope.Tenant, _ => "/api/v1/schedule/setup-families/programs/hijacked") { OwnSettings = true },
            new("GET", "/api/v1/items/{itemId:long}/setup-family/", RouteScope.Tenant, t => $"/api/v1/items/{t.Plant.ItemId}/setup-family"),
            new("PUT", "/api/v1/items/{itemId:long}/setup-family/", RouteScope.Tenant, t => $"/api/v1/items/{t.Plant.ItemId}/setup-family",
                _ => new { family = "hijacked" }),
            new("DELETE", "/api/v1/items/{itemId:long}/setup-family/", RouteScope.Tenant, t => $"/api/v1/items/{t.Plant.ItemId}/setup-family"),
            new("GET", "/api/v1/production/kpis", RouteScope.Tenant, t => $"/api/v1/production/kpis?siteId={t.Plant.SiteId}"),
            new("POST", "/api/v1/erp/orders/", RouteScope.Tenant, _ => "/api/v1/erp/orders"),
            new("GET", "/api/v1/erp/orders/{id:long}/performance", RouteScope.Tenant, t => $"/api/v1/erp/orders/{t.OrderId}/performance"),
            new("POST", "/api/v1/erp/materials/", RouteScope.Tenant, _ => "/api/v1/erp/materials"),
            new("GET", "/api/v1/erp/materials/", RouteScope.Tenant, _ => "/api/v1/erp/materials") { OwnSettings = true },
            new("GET", "/api/v1/erp/webhook/", RouteScope.Tenant, _ => "/api/v1/erp/webhook"),
            new("PUT", "/api/v1/erp/webhook/", RouteScope.Admin, _ => "/api/v1/erp/webhook", _ => new { url = "https://erp.example.com/mw", secret = "0123456789abcdef0123" }) { OwnSettings = true },
            new("DELETE", "/api/v1/erp/webhook/", RouteScope.Admin, _ => "/api/v1/erp/webhook") { OwnSettings = true },
            new("GET", "/api/v1/erp/webhook/deliveries", RouteScope.Tenant, _ => "/api/v1/erp/webhook/deliveries") { OwnSettings = true },
            new("POST", "/api/v1/machines/{id:long}/commands", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/commands", _ => new { type = "stop" }),
        ]);
        // Fleet (issue 17): the snapshot pages show the caller's own fleet; everything addressed by machine is 404 to a stranger.
        routes.AddRange(
        [
            new("GET", "/api/v1/machines/{id:long}/equipment/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/equipment"),
            new("PUT", "/api/v1/machines/{id:long}/equipment/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/equipment",
                _ => new { oemName = "hijacked", model = "x", serialNumber = "x" }),
            new("DELETE", "/api/v1/machines/{id:long}/equipment/", RouteScope.Tenant, t => $"/api/v1/machines/{t.Plant.MachineId}/equipment"),
            new("GET", "/api/v1/aemp/Fleet/", RouteScope.Tenant, _ => "/api/v1/aemp/Fleet") { OwnSettings = true },
            new("GET", "/api/v1/aemp/Fleet/{page:long}", RouteScope.Tenant, _ => "/api/v1/aemp/Fleet/1") { OwnSettings = true },
            new("GET", "/api/v1/aemp/Fleet/Equipment/ID/{id:long}", RouteScope.Tenant, t => $"/api/v1/aemp/Fleet/Equipment/ID/{t.Plant.MachineId}"),
            new("GET", "/api/v1/aemp/Fleet/Equipment/ID/{id:long}/{element}/{startDateUTC}/{endDateUTC}/{page:long}", RouteScope.Tenant,
                t => $"/api/v1/aemp/Fleet/Equipment/ID/{t.Plant.MachineId}/CumulativeOperatingHours/2020-01-01T00:00:00Z/2030-01-01T00:00:00Z/1"),
            new("POST", "/api/v1/fleet/plans", RouteScope.Tenant, _ => "/api/v1/fleet/plans", t => new
            {
                requests = new[] { new { category = "excavator", latitude = 50.0, longitude = 10.0, from = "2027-01-01T00:00:00Z", to = "2027-01-02T00:00:00Z" } },
                machines = new[] { new { machineId = t.Plant.MachineId, category = "excavator", dailyRate = 1.0 } },
            }),
        ]);
        AddSharing(routes);
        routes.AddRange(MakerspaceRoutes.Build());
        routes.AddRange(AnomalyRoutes.Build());
        routes.AddRange(FleetTarget.Routes());
        routes.AddRange(RiskRoutes.Build());
        routes.AddRange(EmbroideryRoutes.Build());
        routes.AddRange(TailoringRoutes.Build());
        routes.AddRange(DesignRoutes.Build());
        return routes;
    }

    /// <summary>The marketplace (issue 16): ids are aimed at the target's order id, which names no sharing row of the stranger's.</summary>
    private static void AddSharing(List<Route> routes)
    {
        const string S = "/api/v1/sharing";
        routes.AddRange(
        [
            new("GET", $"{S}/offers/", RouteScope.Tenant, _ => $"{S}/offers"),
            new("GET", $"{S}/offers/{{id:long}}", RouteScope.Tenant, t => $"{S}/offers/{t.OrderId}"),
            new("POST", $"{S}/offers/", RouteScope.Tenant, _ => $"{S}/offers", t => new { machineId = t.Plant.MachineId, processes = new[] { t.Plant.Marker } }),
            new("POST", $"{S}/offers/{{id:long}}/cancel", RouteScope.Tenant, t => $"{S}/offers/{t.OrderId}/cancel"),
            new("GET", $"{S}/market", RouteScope.Tenant, _ => $"{S}/market") { OwnSettings = true },
            new("GET", $"{S}/inbox", RouteScope.Tenant, _ => $"{S}/inbox") { OwnSettings = true },
            new("GET", $"{S}/requests/", RouteScope.Tenant, _ => $"{S}/requests"),
            new("GET", $"{S}/requests/{{id:long}}", RouteScope.Tenant, t => $"{S}/requests/{t.OrderId}"),
            new("POST", $"{S}/requests/", RouteScope.Tenant, _ => $"{S}/requests", t => new { title = t.Plant.Marker }),
            new("POST", $"{S}/requests/{{id:long}}/cancel", RouteScope.Tenant, t => $"{S}/requests/{t.OrderId}/cancel"),
            new("GET", $"{S}/requests/{{id:long}}/candidates", RouteScope.Tenant, t => $"{S}/requests/{t.OrderId}/candidates"),
            new("POST", $"{S}/requests/{{id:long}}/bids", RouteScope.Tenant, t => $"{S}/requests/{t.OrderId}/bids", _ => new { offerId = 1 }),
            new("GET", $"{S}/bids/", RouteScope.Tenant, _ => $"{S}/bids?role=provider"),
            new("GET", $"{S}/bids/{{id:long}}", RouteScope.Tenant, t => $"{S}/bids/{t.OrderId}"),
            new("POST", $"{S}/bids/{{id:long}}/accept", RouteScope.Tenant, t => $"{S}/bids/{t.OrderId}/accept", _ => new { note = "hijacked" }),
            new("POST", $"{S}/bids/{{id:long}}/decline", RouteScope.Tenant, t => $"{S}/bids/{t.OrderId}/decline", _ => new { note = "hijacked" }),
            new("POST", $"{S}/bids/{{id:long}}/counter", RouteScope.Tenant, t => $"{S}/bids/{t.OrderId}/counter", _ => new { price = 1 }),
            new("POST", $"{S}/bids/{{id:long}}/award", RouteScope.Tenant, t => $"{S}/bids/{t.OrderId}/award"),
            new("GET", $"{S}/jobs/", RouteScope.Tenant, _ => $"{S}/jobs?role=provider"),
            new("GET", $"{S}/jobs/{{id:long}}", RouteScope.Tenant, t => $"{S}/jobs/{t.OrderId}"),
            new("POST", $"{S}/jobs/{{id:long}}/rating", RouteScope.Tenant, t => $"{S}/jobs/{t.OrderId}/rating", _ => new { score = 1, qualityPassed = false }),
            new("GET", $"{S}/jobs/{{id:long}}/deliveries", RouteScope.Tenant, t => $"{S}/jobs/{t.OrderId}/deliveries"),
            new("POST", $"{S}/jobs/{{id:long}}/deliveries", RouteScope.Tenant, t => $"{S}/jobs/{t.OrderId}/deliveries", _ => new { kind = "shipped", quantity = 1 }),
            new("GET", $"{S}/invoices/", RouteScope.Tenant, _ => $"{S}/invoices"),
            new("POST", $"{S}/requests/{{id:long}}/files/", RouteScope.Tenant, t => $"{S}/requests/{t.OrderId}/files?kind=drawing&name=x.pdf", _ => new { }),
            new("GET", $"{S}/requests/{{id:long}}/files/", RouteScope.Tenant, t => $"{S}/requests/{t.OrderId}/files"),
            new("GET", $"{S}/requests/{{id:long}}/split", RouteScope.Tenant, t => $"{S}/requests/{t.OrderId}/split"),
            new("GET", $"{S}/requests/{{id:long}}/files/{{fileId:long}}", RouteScope.Tenant, t => $"{S}/requests/{t.OrderId}/files/1"),
            new("GET", $"{S}/invoices/{{id:long}}", RouteScope.Tenant, t => $"{S}/invoices/{t.OrderId}"),
            new("POST", $"{S}/requests/{{id:long}}/splits", RouteScope.Tenant, t => $"{S}/requests/{t.OrderId}/splits"),
            new("GET", $"{S}/splits/{{id:long}}", RouteScope.Tenant, t => $"{S}/splits/{t.OrderId}"),
            new("POST", $"{S}/splits/{{id:long}}/award", RouteScope.Tenant, t => $"{S}/splits/{t.OrderId}/award"),
        ]);
    }

    private static void AddCrud(List<Route> routes, string name, Func<RouteTarget, long> id, Func<RouteTarget, object> body)
    {
        routes.Add(new("GET", $"/api/v1/{name}/", RouteScope.Tenant, _ => $"/api/v1/{name}"));
        routes.Add(new("GET", $"/api/v1/{name}/{{id:long}}", RouteScope.Tenant, t => $"/api/v1/{name}/{id(t)}"));
        routes.Add(new("POST", $"/api/v1/{name}/", RouteScope.Tenant, _ => $"/api/v1/{name}", body));
        routes.Add(new("PUT", $"/api/v1/{name}/{{id:long}}", RouteScope.Tenant, t => $"/api/v1/{name}/{id(t)}", body));
        routes.Add(new("DELETE", $"/api/v1/{name}/{{id:long}}", RouteScope.Tenant, t => $"/api/v1/{name}/{id(t)}"));
    }
}
