using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Millwright.Testing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

public abstract class GeofenceTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    /// <summary>Yesterday at <paramref name="hour"/>:<paramref name="minute"/> UTC, in epoch ms: in the past, and at a known local time.</summary>
    private static long Yesterday(int hour, int minute = 0) =>
        new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(hour).AddMinutes(minute), TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>A GeoJSON Feature of a square about 1.4 km by 2.2 km around (50.0, 10.0).</summary>
    private static object Site(string name, string kind = "job_site", object? workingHours = null, double[][]? ring = null) => new
    {
        type = "Feature",
        geometry = new { type = "Polygon", coordinates = new[] { ring ?? Square(50.0, 10.0, 0.01) } },
        properties = new { name, kind, timeZone = "UTC", workingHours },
    };

    private static double[][] Square(double lat, double lon, double half) =>
        [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]];

    private static readonly object EveryDay = new { from = "07:00", to = "18:00", days = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" } };

    private static async Task<long> CreateSiteAsync(FleetKit kit, object site) =>
        (await kit.Tenant.Operator.PostJsonAsync("/api/v1/fleet/geofences", site, HttpStatusCode.Created))["id"]!.GetValue<long>();

    private static Task<JsonArray> WaitForEventsAsync(FleetKit kit, int count) =>
        Eventually.ValueAsync(
            () => kit.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/geofence-events?machineId={kit.MachineId}&from={FleetKit.Time(Yesterday(0))}&to={FleetKit.Time(Yesterday(23, 59))}")
                .ContinueWith(t => t.Result.AsArray()),
            events => events.Count >= count, $"{count} geofence events");

    private static Task<JsonNode> WaitForAlarmAsync(FleetKit kit, string rule, Func<JsonNode, bool> match, string because) =>
        Eventually.ValueAsync<JsonNode?>(
            async () => (await kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all")).FirstOrDefault(a => a!["ruleName"]!.GetValue<string>() == rule && match(a)),
            a => a is not null, because).ContinueWith(t => t.Result!);

    [Fact]
    public async Task A_site_goes_in_and_comes_out_as_GeoJSON()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        var id = await CreateSiteAsync(kit, Site("A9 junction", workingHours: new { from = "22:00", to = "06:00", days = new[] { "fri", "mon" } }));

        var feature = await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/geofences/{id}");
        Assert.Equal("Feature", feature["type"]!.GetValue<string>());
        Assert.Equal("Polygon", feature["geometry"]!["type"]!.GetValue<string>());
        Assert.Equal(9.99, feature["geometry"]!["coordinates"]![0]![0]![0]!.GetValue<double>(), 10);
        Assert.Equal(49.99, feature["geometry"]!["coordinates"]![0]![0]![1]!.GetValue<double>(), 10);
        Assert.Equal(5, feature["geometry"]!["coordinates"]![0]!.AsArray().Count);
        Assert.Equal("A9 junction", feature["properties"]!["name"]!.GetValue<string>());
        Assert.Equal("job_site", feature["properties"]!["kind"]!.GetValue<string>());
        Assert.Equal("22:00", feature["properties"]!["workingHours"]!["from"]!.GetValue<string>());
        Assert.Equal(["mon", "fri"], feature["properties"]!["workingHours"]!["days"]!.AsArray().Select(d => d!.GetValue<string>()));

        await kit.Tenant.Operator.PutJsonAsync($"/api/v1/fleet/geofences/{id}", Site("Depot North", "depot", ring: Square(51, 11, 0.02)), HttpStatusCode.OK);
        var collection = await kit.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/geofences");
        Assert.Equal("FeatureCollection", collection["type"]!.GetValue<string>());
        var only = Assert.Single(collection["features"]!.AsArray())!;
        Assert.Equal("depot", only["properties"]!["kind"]!.GetValue<string>());
        Assert.Null(only["properties"]!["workingHours"]);
        Assert.Equal(10.98, only["geometry"]!["coordinates"]![0]![0]![0]!.GetValue<double>(), 10);

        await kit.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/geofences", Site("Depot North"), HttpStatusCode.Conflict, "exists already");
        await kit.Tenant.Operator.DeleteAsync($"/api/v1/fleet/geofences/{id}", HttpStatusCode.NoContent);
        Assert.Empty((await kit.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/geofences"))["features"]!.AsArray());
    }

    [Fact]
    public async Task Polygons_that_are_open_self_intersecting_or_out_of_range_are_refused_naming_the_cause()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        var client = kit.Tenant.Operator;
        async Task Refused(object body, string cause) =>
            await client.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/geofences", body, HttpStatusCode.BadRequest, cause);

        await Refused(Site("open", ring: [[10, 50], [10.1, 50], [10.1, 50.1], [10, 50.1]]), "ring 1 is not closed");
        await Refused(Site("bow tie", ring: [[10, 50], [10.1, 50.1], [10.1, 50], [10, 50.1], [10, 50]]), "Self-intersection");
        await Refused(Site("off the globe", ring: [[10, 50], [10.1, 50], [10.1, 95], [10, 50]]), "out of range");
        await Refused(Site("far east", ring: [[179, 0], [181, 0], [181, 1], [179, 0]]), "longitude 181");
        await Refused(Site("a line", ring: [[10, 50], [10.1, 50], [10, 50]]), "at least 4 positions");
        await Refused(new { type = "Feature", geometry = new { type = "Point", coordinates = new[] { 10.0, 50.0 } }, properties = new { name = "p", kind = "depot" } }, "Polygon");
        await Refused(new { type = "FeatureCollection", features = Array.Empty<object>() }, "GeoJSON Feature");
        await Refused(Site("hours", workingHours: new { from = "7am", to = "18:00" }), "HH:mm");
        var problem = await client.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/geofences",
            new { type = "Feature", geometry = new { type = "Polygon", coordinates = new[] { Square(50, 10, 0.01) } }, properties = new { name = "", kind = "yard", timeZone = "Mars/Olympus" } },
            HttpStatusCode.BadRequest, "properties.kind");
        Assert.Equal(["properties.kind", "properties.name", "properties.timeZone"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Empty((await kit.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/geofences"))["features"]!.AsArray());
    }

    [Fact]
    public async Task A_machine_crossing_a_site_boundary_leaves_enter_and_leave_events()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        var site = await CreateSiteAsync(kit, Site("Quarry"));

        await kit.SendAsync(Yesterday(9), new { latitude = 50.05, longitude = 10.0 });
        await kit.SendAsync(Yesterday(9, 30), new { latitude = 50.0, longitude = 10.0 });
        await kit.SendAsync(Yesterday(9, 45), new { latitude = 50.001, longitude = 10.0 });
        await kit.SendAsync(Yesterday(10), new { latitude = 49.9, longitude = 10.0 });

        var events = await WaitForEventsAsync(kit, 2);
        Assert.Equal(["enter", "leave"], events.Select(e => e!["kind"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal(site, e!["geofenceId"]!.GetValue<long>()));
        Assert.Equal("Quarry", events[0]!["geofenceName"]!.GetValue<string>());
        Assert.Equal(Yesterday(9, 30), DateTimeOffset.Parse(events[0]!["at"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Equal(Yesterday(10), DateTimeOffset.Parse(events[1]!["at"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Equal(49.9, events[1]!["latitude"]!.GetValue<double>());
        var bySite = await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/geofence-events?geofenceId={site}&from={FleetKit.Time(Yesterday(0))}&to={FleetKit.Time(Yesterday(23))}");
        Assert.Equal(2, bySite.AsArray().Count);
    }

    [Fact]
    public async Task A_machine_outside_its_allowed_area_raises_an_alarm_that_clears_when_it_returns()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        var site = await CreateSiteAsync(kit, Site("Depot", "depot"));
        await kit.Tenant.Operator.PutJsonAsync($"/api/v1/machines/{kit.MachineId}/allowed-areas", new { geofenceIds = new[] { site } }, HttpStatusCode.OK);
        Assert.Equal([site], (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{kit.MachineId}/allowed-areas"))["geofenceIds"]!.AsArray().Select(i => i!.GetValue<long>()));

        await kit.SendAsync(Yesterday(8), new { latitude = 50.0, longitude = 10.0 });
        await kit.SendAsync(Yesterday(9), new { latitude = 50.3, longitude = 10.2 });
        var raised = await WaitForAlarmAsync(kit, "outside allowed area", a => a["state"]!.GetValue<string>() == "active", "an outside-area alarm");
        Assert.Equal("high", raised["severity"]!.GetValue<string>());
        Assert.Contains("is outside its allowed area: at 50.3, 10.2", raised["message"]!.GetValue<string>());

        await kit.SendAsync(Yesterday(10), new { latitude = 50.0, longitude = 10.0 });
        var cleared = await WaitForAlarmAsync(kit, "outside allowed area", a => !a["conditionActive"]!.GetValue<bool>(), "the alarm's condition to clear");
        Assert.Equal("rtn_unack", cleared["state"]!.GetValue<string>());
        Assert.Single(await kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"));
    }

    [Fact]
    public async Task An_alarm_active_before_the_watcher_first_sees_the_machine_is_cleared_by_its_first_report_inside()
    {
        // As after a restart: the outside-area alarm is active in the store, and the watcher has never seen the machine.
        // It reads the active alarm back at first sight, so the first report inside clears it (and a clear is sent only then).
        using var kit = await FleetKit.CreateAsync(Host);
        var site = await CreateSiteAsync(kit, Site("Depot", "depot"));
        await kit.Tenant.Operator.PutJsonAsync($"/api/v1/machines/{kit.MachineId}/allowed-areas", new { geofenceIds = new[] { site } }, HttpStatusCode.OK);
        var alarms = Host.Service<Millwright.Features.Alarms.AlarmWriter>();
        Assert.True(alarms.TryEnqueue(new Millwright.Features.Alarms.AlarmTransition(Millwright.Features.Alarms.TransitionKind.Raise,
            Millwright.Features.Fleet.GeofenceAlarms.For(Millwright.Features.Fleet.GeofenceAlarms.OutsideArea, kit.Tenant.Id), kit.Tenant.Id, kit.MachineId,
            "at 50.3, 10.2", Yesterday(7))));
        await WaitForAlarmAsync(kit, "outside allowed area", a => a["state"]!.GetValue<string>() == "active", "the alarm raised before the first report");

        await kit.SendAsync(Yesterday(8), new { latitude = 50.0, longitude = 10.0 });
        var cleared = await WaitForAlarmAsync(kit, "outside allowed area", a => !a["conditionActive"]!.GetValue<bool>(), "the first report inside to clear it");
        Assert.Equal("rtn_unack", cleared["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Moving_after_the_sites_working_hours_raises_an_alarm_and_moving_within_them_does_not()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        await CreateSiteAsync(kit, Site("Bridge", workingHours: EveryDay));

        await kit.SendAsync(Yesterday(10), new { latitude = 50.0, longitude = 10.0 });
        await kit.SendAsync(Yesterday(10, 5), new { latitude = 50.003, longitude = 10.0 });
        await kit.SendAsync(Yesterday(21, 55), new { latitude = 50.003, longitude = 10.0 });
        await kit.SendAsync(Yesterday(22), new { latitude = 50.0, longitude = 10.002 });

        var alarm = await WaitForAlarmAsync(kit, "moving after hours", a => a["state"]!.GetValue<string>() == "active", "an after-hours alarm");
        Assert.Contains("outside the working hours of Bridge", alarm["message"]!.GetValue<string>());
        Assert.Equal(Yesterday(22), DateTimeOffset.Parse(alarm["raisedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Single(await kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"));

        await kit.SendAsync(Yesterday(22, 5), new { latitude = 50.0, longitude = 10.002 });
        await WaitForAlarmAsync(kit, "moving after hours", a => !a["conditionActive"]!.GetValue<bool>(), "the after-hours condition to clear once it stands still");
    }

    [Fact]
    public async Task Moving_with_the_engine_off_raises_a_theft_alarm()
    {
        using var kit = await FleetKit.CreateAsync(Host);

        await kit.SendAsync(Yesterday(12), new { latitude = 48.0, longitude = 11.0, engine_running = true });
        await kit.SendAsync(Yesterday(12, 10), new { latitude = 48.02, longitude = 11.0, engine_running = true });
        await kit.SendAsync(Yesterday(13), new { engine_running = false });
        await kit.SendAsync(Yesterday(13, 20), new { latitude = 48.02, longitude = 11.0 });
        await kit.SendAsync(Yesterday(13, 30), new { latitude = 48.1, longitude = 11.1 });

        var alarm = await WaitForAlarmAsync(kit, "moving with engine off", a => a["state"]!.GetValue<string>() == "active", "a theft alarm");
        Assert.Equal("critical", alarm["severity"]!.GetValue<string>());
        Assert.Contains("possible theft", alarm["message"]!.GetValue<string>());
        Assert.Equal(Yesterday(13, 30), DateTimeOffset.Parse(alarm["raisedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Single(await kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"));
    }

    [Fact]
    public async Task Another_tenant_sees_none_of_the_sites_events_or_allowed_areas()
    {
        using var a = await FleetKit.CreateAsync(Host, "A-1");
        using var b = await FleetKit.CreateAsync(Host, "B-1");
        var site = await CreateSiteAsync(a, Site("Secret site"));
        await a.Tenant.Operator.PutJsonAsync($"/api/v1/machines/{a.MachineId}/allowed-areas", new { geofenceIds = new[] { site } }, HttpStatusCode.OK);
        await a.SendAsync(Yesterday(9), new { latitude = 50.0, longitude = 10.0 });
        await WaitForEventsAsync(a, 1);

        Assert.Empty((await b.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/geofences"))["features"]!.AsArray());
        Assert.Empty((await b.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/geofence-events?from={FleetKit.Time(Yesterday(0))}&to={FleetKit.Time(Yesterday(23))}")).AsArray());
        await b.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/fleet/geofences/{site}", null, HttpStatusCode.NotFound, "geofence");
        await b.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/fleet/geofence-events?geofenceId={site}", null, HttpStatusCode.NotFound, "geofence");
        await b.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/fleet/geofence-events?machineId={a.MachineId}", null, HttpStatusCode.NotFound, "machine");
        await b.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{a.MachineId}/allowed-areas", null, HttpStatusCode.NotFound, "machine");
        await b.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/fleet/geofences/{site}", Site("Hijacked"), HttpStatusCode.NotFound, "geofence");
        await b.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/fleet/geofences/{site}", null, HttpStatusCode.NotFound, "geofence");
        await b.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{b.MachineId}/allowed-areas", new { geofenceIds = new[] { site } }, HttpStatusCode.BadRequest, "no geofence");
        Assert.Equal("Secret site", (await a.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/geofences/{site}"))["properties"]!["name"]!.GetValue<string>());
    }

    public sealed class OnSqlite(SqliteHost host) : GeofenceTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : GeofenceTests(host), IClassFixture<PostgresHost>;
}
