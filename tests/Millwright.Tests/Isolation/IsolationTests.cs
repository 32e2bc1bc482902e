using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Isolation;

/// <summary>Walks every route as a stranger to tenant A and checks that A's data neither leaks nor changes.</summary>
public abstract class IsolationTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public void The_route_table_covers_every_mapped_route()
    {
        var mapped = Host.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order();

        Assert.Equal(Routes.All.Select(r => r.ToString()).Order(), mapped);
    }

    [Fact]
    public async Task Another_tenants_admin_neither_sees_nor_changes_anything()
    {
        var (a, target) = await CreateTargetAsync();
        using var _ = a;
        using var b = await Host.CreateTenantAsync();
        var before = await SnapshotAsync(a, target);

        foreach (var route in Routes.All.Where(r => !r.IsWrite))
        {
            var (status, body) = await SendAsync(b.Admin, route, target);
            Assert.DoesNotContain(target.Plant.Marker, body, StringComparison.Ordinal);
            Assert.DoesNotContain(target.Plant.Username, body, StringComparison.Ordinal);
            if (route.OwnSettings)
            {
                Assert.True(status == HttpStatusCode.OK, $"{route}: {(int)status} {body}");
            }
            else if (route.Scope is RouteScope.Tenant or RouteScope.Admin)
            {
                Assert.True(status == HttpStatusCode.NotFound || (status == HttpStatusCode.OK && HoldsNothingOf(body, b.Id, a.Slug)), $"{route}: {(int)status} {body}");
            }
            else if (route.Scope == RouteScope.Platform)
            {
                Assert.True(status == HttpStatusCode.Forbidden, $"{route}: {(int)status}");
            }
        }

        foreach (var route in Routes.All.Where(r => r.IsWrite))
        {
            var (status, body) = await SendAsync(b.Admin, route, target);
            Assert.DoesNotContain(target.Plant.Marker, body, StringComparison.Ordinal);
            Assert.True(route.Scope == RouteScope.Device
                ? status == HttpStatusCode.Unauthorized
                : route.CreatesOwn || route.OwnSettings || route.Template == "/api/v1/api-keys/" || (int)status is 400 or 403 or 404, $"{route}: {(int)status} {body}");
        }

        Assert.Equal(before, await SnapshotAsync(a, target));
    }

    [Fact]
    public async Task A_viewer_cannot_write_anywhere()
    {
        var (a, target) = await CreateTargetAsync();
        using var _ = a;
        var before = await SnapshotAsync(a, target);

        foreach (var route in Routes.All.Where(r => r.IsWrite))
        {
            // Device routes do not take API keys at all, so a viewer's key is not even a login there.
            var (status, body) = await SendAsync(a.Viewer, route, target);
            var expected = route.Scope == RouteScope.Device ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
            Assert.True(status == expected, $"{route}: {(int)status} {body}");
        }

        Assert.Equal(before, await SnapshotAsync(a, target));
    }

    [Fact]
    public async Task Without_a_key_only_health_and_openapi_answer()
    {
        var (a, target) = await CreateTargetAsync();
        using var _ = a;
        using var anonymous = Host.Client(null);
        var before = await SnapshotAsync(a, target);

        foreach (var route in Routes.All)
        {
            var (status, body) = await SendAsync(anonymous, route, target);
            var expected = route.Scope == RouteScope.Anonymous ? HttpStatusCode.OK : HttpStatusCode.Unauthorized;
            Assert.True(status == expected, $"{route}: {(int)status} {body}");
            Assert.DoesNotContain(target.Plant.Marker, body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(a, target));
    }

    [Fact]
    public async Task The_platform_admin_key_is_forbidden_on_tenant_routes()
    {
        var (a, target) = await CreateTargetAsync();
        using var _ = a;
        using var platform = Host.Platform();
        var before = await SnapshotAsync(a, target);

        foreach (var route in Routes.All.Where(r => r.Scope == RouteScope.Tenant))
        {
            var (status, body) = await SendAsync(platform, route, target);
            Assert.True(status == HttpStatusCode.Forbidden, $"{route}: {(int)status} {body}");
            Assert.DoesNotContain(target.Plant.Marker, body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(a, target));
    }

    [Fact]
    public async Task An_external_participant_reaches_the_makerspace_and_nothing_else()
    {
        var (a, target) = await CreateTargetAsync();
        using var _ = a;
        using var participant = Host.Client(target.Makerspace.ParticipantKey);
        var before = await SnapshotAsync(a, target);

        foreach (var route in Routes.All.Where(r => r.Scope != RouteScope.Anonymous))
        {
            var inMakerspace = route.Template.StartsWith(MakerspaceRoutes.Prefix, StringComparison.Ordinal);
            if (inMakerspace && route.IsWrite)
            {
                continue;  // contributing there is what a participant is for (ExternalParticipantTests)
            }

            var (status, body) = await SendAsync(participant, route, target);
            if (inMakerspace)
            {
                Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Forbidden, $"{route}: {(int)status} {body}");
            }
            else
            {
                Assert.DoesNotContain(target.Plant.Marker, body, StringComparison.Ordinal);
                var expected = route.Scope == RouteScope.Device || route.IsWebSocket ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                Assert.True(status == expected, $"{route}: {(int)status} {body}");
            }
        }

        Assert.Equal(before, await SnapshotAsync(a, target));
    }

    private async Task<(TestTenant Tenant, RouteTarget Target)> CreateTargetAsync()
    {
        var a = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(a);

        // A walk can outlast the default offline timeout on a loaded machine; the state sweep would then close the
        // machine's interval between the two snapshots and look like a refused request had written something.
        await a.Admin.PutJsonAsync($"/api/v1/machine-types/{plant.TypeId}/state-rules", new
        {
            rules = new object[] { new { state = "running", when = "power > 1" } },
            alarmReasons = new Dictionary<string, string> { ["7"] = $"{plant.Marker} reason" },
            offlineAfterSeconds = 7 * 24 * 3600,
        }, HttpStatusCode.OK);

        // One stored value, so that the machine's series, points and charts have something to leak.
        using var device = new HttpClient { BaseAddress = Host.BaseAddress };
        device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{plant.Username}:{plant.Secret}")));
        using var stored = await device.PostAsJsonAsync("/api/v1/telemetry", new { values = new { power = 42.5 } });
        Assert.Equal(HttpStatusCode.Accepted, stored.StatusCode);
        var viewerKey = (await a.Admin.ListAsync("/api/v1/api-keys")).Single(k => k!["role"]!.GetValue<string>() == "viewer")!.Id();
        var (rule, alarm, webhook) = await RaiseAlarmAsync(a, plant);

        // A planned (not released) order: the planner leaves it alone, so the snapshots stay still.
        // Setup families first: their re-plan requests are settled by the wait below (a plan may answer several requests).
        await a.Admin.PutJsonAsync("/api/v1/schedule/setup-families", new { families = new[] { plant.Marker }, matrix = new[] { new { from = plant.Marker, to = plant.Marker, minutes = 3 } } }, HttpStatusCode.OK);
        await a.Admin.PutJsonAsync($"/api/v1/items/{plant.ItemId}/setup-family", new { family = plant.Marker }, HttpStatusCode.OK);
        await a.Admin.PutJsonAsync($"/api/v1/schedule/setup-families/programs/{plant.Marker}", new { family = plant.Marker }, HttpStatusCode.OK);
        await a.Admin.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/capabilities", new { capabilities = new[] { plant.Marker } }, HttpStatusCode.OK);
        await a.Admin.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/equipment", new { oemName = plant.Marker, model = plant.Marker, serialNumber = plant.Marker }, HttpStatusCode.OK);
        await a.Admin.PutJsonAsync($"/api/v1/items/{plant.ItemId}/routing", new { operations = new[] { new { id = "10", name = $"{plant.Marker} op", capability = plant.Marker, unitSeconds = 5 } } }, HttpStatusCode.OK);
        var order = await a.Operator.PostJsonAsync("/api/v1/orders", new
        {
            number = $"{plant.Marker}-order", customer = $"{plant.Marker} customer", itemId = plant.ItemId, siteId = plant.SiteId, quantity = 3,
            dueAt = DateTimeOffset.UtcNow.AddDays(2),
        }, HttpStatusCode.Created);

        // The capabilities change asks the production planner for a plan, and the planner records it in the audit
        // log from its own loop, a moment later. Waiting for that row settles the tenant: without it, the row
        // could land between a test's two snapshots and look like a refused request had written something.
        var planned = $"capabilities of machine {plant.MachineId} changed";
        await Eventually.TrueAsync(
            async () => (await a.Admin.GetJsonAsync("/api/v1/audit?limit=500"))["items"]!.AsArray()
                .Any(e => e!["summary"]!.GetValue<string>().Contains(planned, StringComparison.Ordinal)),
            "the planner's record of the plan the capabilities change asked for");
        var makerspace = await MakerspaceTarget.CreateAsync(Host, a, plant.Marker);
        var embroidery = await EmbroideryTarget.CreateAsync(a, plant.Marker);
        var design = await DesignRoutes.CreateTargetAsync(Host, a, plant.Marker);
        using var ca = OpcUa.TestAuthorities.Authority($"CN={plant.Marker} CA");
        var trustedCa = await a.Admin.PostJsonAsync("/api/v1/opcua/trusted-cas", new { certificate = OpcUa.TestAuthorities.Pem(ca) }, HttpStatusCode.Created);
        return (a, new RouteTarget(a.Id, plant, viewerKey, rule, alarm, webhook, order.Id())
        {
            Makerspace = makerspace, Embroidery = embroidery, Fleet = await FleetTarget.CreateAsync(a, plant), DesignProjectId = design, Tailoring = await TailoringTarget.CreateAsync(a, plant),
            OpcUaCaId = trustedCa.Id(),
        });
    }

    /// <summary>An alarm rule of A's, an alarm it raised from A's device, and a webhook made after it (so nothing is delivered).</summary>
    private async Task<(long Rule, long Alarm, long Webhook)> RaiseAlarmAsync(TestTenant a, Plant plant)
    {
        var rule = await a.Operator.PostJsonAsync("/api/v1/alarm-rules", new
        {
            name = $"{plant.Marker} rule", machineTypeId = plant.TypeId, tag = "power", kind = "threshold", direction = "high", limit = 100,
            severity = "low", message = $"{plant.Marker} {{value}}",
        }, HttpStatusCode.Created);
        using var device = Host.Client(null);
        device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{plant.Username}:{plant.Secret}")));
        using (var posted = await device.PostAsync("/api/v1/telemetry", JsonContent.Create(new { values = new { power = 200 } })))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var alarm = (await Eventually.ValueAsync(() => a.Viewer.ListAsync("/api/v1/alarms"), all => all.Count > 0, "the target's alarm")).First()!;

        var webhook = await a.Admin.PostJsonAsync("/api/v1/webhooks", new { name = $"{plant.Marker} hook", url = "https://alarms.example.com/hook", secret = "0123456789abcdef0123", severities = new[] { "critical" } }, HttpStatusCode.Created);
        return (rule.Id(), alarm.Id(), webhook.Id());
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, Route route, RouteTarget target)
    {
        if (route.IsWebSocket)
        {
            return await LiveWalk.SendAsync(Host, client, target);
        }

        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path(target));
        if (route.Body?.Invoke(target) is { } body)
        {
            request.Content = JsonContent.Create(body, options: TestHost.Json);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A list answer that shows nothing but the caller's own keys (its own tenant's key list is never empty).</summary>
    /// <summary>
    /// Every item is the caller's own: by its tenantId, or, for items that carry none (audit entries, e.g. the
    /// minting of the caller's own keys), by not naming the other tenant.
    /// </summary>
    private static bool HoldsNothingOf(string body, long ownTenant, string otherSlug)
    {
        var items = JsonNode.Parse(body)?["items"]?.AsArray();
        return items is not null && items.All(i => i?["tenantId"] is { } tenant
            ? tenant.GetValue<long>() == ownTenant
            : !i!.ToJsonString().Contains(otherSlug, StringComparison.Ordinal));
    }

    /// <summary>Everything tenant A can see of itself, plus the platform's view of A and whether its device still connects.</summary>
    private async Task<string> SnapshotAsync(TestTenant a, RouteTarget target)
    {
        var parts = new List<string>();
        foreach (var path in new[]
        {
            "/api/v1/sites", "/api/v1/areas", "/api/v1/lines", "/api/v1/machine-types", "/api/v1/machines",
            $"/api/v1/machines/{target.Plant.MachineId}/credentials", "/api/v1/api-keys?includeRevoked=true", "/api/v1/audit?limit=500", "/api/v1/retention",
            "/api/v1/inventory-items", "/api/v1/inventory/movements", "/api/v1/inventory/stock",
            $"/api/v1/sites/{target.Plant.SiteId}/calendar", $"/api/v1/machine-types/{target.Plant.TypeId}/state-rules",
            $"/api/v1/machines/{target.Plant.MachineId}/states", "/api/v1/states",
            "/api/v1/alarm-rules", "/api/v1/alarms?state=all", $"/api/v1/alarms/{target.AlarmId}/events", "/api/v1/webhooks",
            "/api/v1/orders", $"/api/v1/orders/{target.OrderId}", $"/api/v1/items/{target.Plant.ItemId}/routing", $"/api/v1/machines/{target.Plant.MachineId}/capabilities",
            $"/api/v1/machines/{target.Plant.MachineId}/equipment", $"/api/v1/machines/{target.Plant.MachineId}/maintenance-records",
            "/api/v1/schedule/setup-families", $"/api/v1/items/{target.Plant.ItemId}/setup-family",
            "/api/v1/opcua/trusted-cas",
        })
        {
            parts.Add((await a.Admin.GetJsonAsync(path)).ToJsonString());
        }

        foreach (var path in target.Makerspace.SnapshotPaths().Concat(target.Embroidery.SnapshotPaths()).Concat(target.Fleet.SnapshotPaths()).Concat(DesignRoutes.SnapshotPaths(target)).Concat(target.Tailoring.SnapshotPaths()))
        {
            parts.Add((await a.Admin.GetJsonAsync(path)).ToJsonString());
        }

        using var platform = Host.Platform();
        parts.Add((await platform.GetJsonAsync($"/api/v1/tenants/{a.Id}")).ToJsonString());
        var device = await Host.Devices.AuthenticateAsync(target.Plant.Username, target.Plant.Secret);
        parts.Add(device?.ToString() ?? "device refused");
        return string.Join('\n', parts);
    }

    public sealed class OnSqlite(SqliteHost host) : IsolationTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : IsolationTests(host), IClassFixture<PostgresHost>;
}
