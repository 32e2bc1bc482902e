using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

public abstract class MaintenanceTests(HostFixture fixture)
{
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Services_fall_due_by_operating_hours_or_by_calendar_and_a_planned_visit_is_a_planned_stop_in_the_site_calendar()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        var client = kit.Tenant.Operator;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await kit.SendAsync(now - 60_000, new { engine_hours = 480.0 });
        var hours = await client.PostJsonAsync("/api/v1/fleet/service-intervals", new { oemName = "Millwright Heavy", model = "MX-250", name = "500 h service", everyHours = 500 }, HttpStatusCode.Created);
        var annual = await client.PostJsonAsync("/api/v1/fleet/service-intervals", new { oemName = "Millwright Heavy", model = "MX-250", name = "annual inspection", everyDays = 365 }, HttpStatusCode.Created);
        // Another model's interval never applies to this machine.
        await client.PostJsonAsync("/api/v1/fleet/service-intervals", new { oemName = "Millwright Heavy", model = "MX-900", name = "500 h service", everyHours = 500 }, HttpStatusCode.Created);

        // Never serviced: counted from hour 0 and the day it joined the fleet. 20 h left of 500 is within the default 50.
        var due = await Item(client, "", hours.Id());
        Assert.Equal("due_soon", due["status"]!.GetValue<string>());
        Assert.Equal(500, due["dueAtHours"]!.GetValue<double>());
        Assert.Equal(20, due["remainingHours"]!.GetValue<double>());
        Assert.Equal("ok", (await Item(client, "", annual.Id()))["status"]!.GetValue<string>());
        Assert.Equal(2, (await client.GetJsonAsync("/api/v1/fleet/maintenance"))["items"]!.AsArray().Count);

        await kit.SendAsync(now - 30_000, new { engine_hours = 510.0 });
        due = await Item(client, "?status=overdue", hours.Id());
        Assert.Equal(-10, due["remainingHours"]!.GetValue<double>());

        // Serviced at the latest reported 510 h: the next is due at 1010 h.
        var service = await client.PostJsonAsync($"/api/v1/machines/{kit.MachineId}/services", new { intervalId = hours.Id(), note = "oil and filters" }, HttpStatusCode.Created);
        Assert.Equal(510, service["operatingHours"]!.GetValue<double>());
        due = await Item(client, "", hours.Id());
        Assert.Equal("ok", due["status"]!.GetValue<string>());
        Assert.Equal(1010, due["dueAtHours"]!.GetValue<double>());
        Assert.Equal(510, due["lastServiceHours"]!.GetValue<double>());

        // By calendar: inspected 360 days ago, so due in 5 days (within the default 14).
        await client.PostJsonAsync($"/api/v1/machines/{kit.MachineId}/services",
            new { intervalId = annual.Id(), doneAt = DateTimeOffset.FromUnixTimeMilliseconds(now - (360 * Day)), operatingHours = 100.0 }, HttpStatusCode.Created);
        var soon = (await client.GetJsonAsync("/api/v1/fleet/maintenance?status=due_soon"))["items"]!.AsArray();
        Assert.Equal(annual.Id(), Assert.Single(soon)!["intervalId"]!.GetValue<long>());
        Assert.InRange(soon[0]!["remainingDays"]!.GetValue<double>(), 4.99, 5.01);
        Assert.Equal("ok", (await Item(client, "?soonDays=3", annual.Id()))["status"]!.GetValue<string>());
        Assert.Equal(2, (await client.GetJsonAsync($"/api/v1/machines/{kit.MachineId}/services")).AsArray().Count);

        // The visit is a planned stop of this machine in its site's calendar, and the due list shows it.
        var from = DateTimeOffset.FromUnixTimeMilliseconds(now + (2 * Day));
        var visit = await client.PostJsonAsync($"/api/v1/machines/{kit.MachineId}/service-visits", new { intervalId = annual.Id(), from, to = from.AddHours(4) }, HttpStatusCode.Created);
        var calendar = await client.GetJsonAsync($"/api/v1/sites/{visit["siteId"]!.GetValue<long>()}/calendar");
        var stop = Assert.Single(calendar["calendar"]!["plannedStops"]!.AsArray())!;
        Assert.Equal(kit.MachineId, stop["machineId"]!.GetValue<long>());
        Assert.Equal("service: annual inspection", stop["reason"]!.GetValue<string>());
        Assert.Equal(from.AddHours(4), (await Item(client, "", annual.Id()))["plannedVisit"]!["to"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Bad_intervals_services_and_visits_are_refused_and_another_tenant_sees_and_changes_nothing()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        using var other = await FleetKit.CreateAsync(Host, serial: "OTHER-2");
        var client = kit.Tenant.Operator;
        var interval = await client.PostJsonAsync("/api/v1/fleet/service-intervals", new { oemName = "Millwright Heavy", model = "MX-250", name = "250 h", everyHours = 250 }, HttpStatusCode.Created);
        var foreign = await client.PostJsonAsync("/api/v1/fleet/service-intervals", new { oemName = "Other", model = "X", name = "250 h", everyHours = 250 }, HttpStatusCode.Created);

        await client.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/service-intervals", new { oemName = "A", model = "B", name = "none" }, HttpStatusCode.BadRequest, "give everyHours, everyDays or both");
        await client.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/service-intervals", new { oemName = "A", model = "B", name = "neg", everyHours = -1 }, HttpStatusCode.BadRequest, "everyHours");
        await client.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/service-intervals", new { oemName = "Millwright Heavy", model = "MX-250", name = "250 h", everyDays = 30 }, HttpStatusCode.Conflict, "already has an interval");
        await client.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{kit.MachineId}/services", new { intervalId = foreign.Id(), operatingHours = 1.0 }, HttpStatusCode.BadRequest, "not this machine's");
        // No hour meter reported yet and none given.
        await client.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{kit.MachineId}/services", new { intervalId = interval.Id() }, HttpStatusCode.BadRequest, "no engine_hours");
        await client.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{kit.MachineId}/services",
            new { intervalId = interval.Id(), operatingHours = 1.0, doneAt = DateTimeOffset.UtcNow.AddDays(1) }, HttpStatusCode.BadRequest, "before it is done");
        await client.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{kit.MachineId}/service-visits",
            new { intervalId = interval.Id(), from = DateTimeOffset.UtcNow.AddDays(2), to = DateTimeOffset.UtcNow.AddDays(1) }, HttpStatusCode.BadRequest, "from before to");
        await client.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/fleet/maintenance?status=late", null, HttpStatusCode.BadRequest, "must be one of");
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/service-intervals", new { oemName = "A", model = "B", name = "v", everyDays = 1 }, HttpStatusCode.Forbidden, "");

        // The other tenant: none of A's intervals, A's machine is not found, A's interval is no interval of theirs.
        var stranger = other.Tenant.Operator;
        Assert.Empty((await stranger.GetJsonAsync("/api/v1/fleet/service-intervals")).AsArray());
        Assert.Empty((await stranger.GetJsonAsync("/api/v1/fleet/maintenance"))["items"]!.AsArray());
        await stranger.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{kit.MachineId}/services", new { intervalId = interval.Id(), operatingHours = 1.0 }, HttpStatusCode.NotFound, "");
        await stranger.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{other.MachineId}/services", new { intervalId = interval.Id(), operatingHours = 1.0 }, HttpStatusCode.BadRequest, "no service interval");
        await stranger.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/fleet/service-intervals/{interval.Id()}", null, HttpStatusCode.NotFound, "");
        Assert.Equal(2, (await client.GetJsonAsync("/api/v1/fleet/service-intervals")).AsArray().Count);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> Item(HttpClient client, string query, long intervalId) =>
        (await client.GetJsonAsync($"/api/v1/fleet/maintenance{query}"))["items"]!.AsArray().Single(i => i!["intervalId"]!.GetValue<long>() == intervalId)!;

    public sealed class OnSqlite(SqliteHost host) : MaintenanceTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : MaintenanceTests(host), IClassFixture<PostgresHost>;
}
