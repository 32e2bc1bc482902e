using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

public abstract class UtilizationTests(HostFixture fixture)
{
    private const long Hour = 3_600_000;

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Working_idle_and_off_hours_come_from_the_counters_per_machine_with_its_timeline_and_per_job_site()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        using var other = await FleetKit.CreateAsync(Host, serial: "OTHER-3");
        var client = kit.Tenant.Operator;
        var site = await client.PostJsonAsync("/api/v1/fleet/geofences", new
        {
            type = "Feature",
            geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { 10.0, 50.0 }, [10.1, 50.0], [10.1, 50.1], [10.0, 50.1], [10.0, 50.0] } } },
            properties = new { name = "Ring road", kind = "job_site" },
        }, HttpStatusCode.Created);
        var t0 = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / Hour) - 6) * Hour;
        await kit.SendManyAsync(
        [
            (t0, new { engine_hours = 100.0, idle_hours = 10.0, fuel_used = 1000.0, latitude = 50.05, longitude = 10.05 }),
            // Ran the whole hour, none of it idle: working. Then it drove off the site.
            (t0 + Hour, new { engine_hours = 101.0, idle_hours = 10.0, fuel_used = 1020.0, latitude = 51.0, longitude = 10.05 }),
            // Ran 0.8 h, of it 0.6 h idle: 0.2 working, 0.6 idle, 0.2 off, so mostly idle.
            (t0 + (2 * Hour), new { engine_hours = 101.8, idle_hours = 10.6, fuel_used = 1023.0, latitude = 51.0, longitude = 10.05 }),
            // Off the whole hour.
            (t0 + (3 * Hour), new { engine_hours = 101.8, idle_hours = 10.6, fuel_used = 1023.0, latitude = 51.0, longitude = 10.05 }),
        ]);
        var range = $"from={FleetKit.Time(t0 - Hour)}&to={FleetKit.Time(t0 + (4 * Hour))}";

        var machine = await client.GetJsonAsync($"/api/v1/machines/{kit.MachineId}/utilization?{range}");
        var figures = machine["figures"]!;
        Assert.Equal(1.2, figures["workingHours"]!.GetValue<double>(), 6);
        Assert.Equal(0.6, figures["idleHours"]!.GetValue<double>(), 6);
        Assert.Equal(1.2, figures["offHours"]!.GetValue<double>(), 6);
        Assert.Equal(2, figures["noDataHours"]!.GetValue<double>(), 6);
        Assert.Equal(23, figures["fuelUsed"]!.GetValue<double>(), 6);
        Assert.Equal(19.167, figures["fuelPerWorkingHour"]!.GetValue<double>(), 6);
        Assert.Equal(0.3333, figures["idleRatio"]!.GetValue<double>(), 6);
        var timeline = machine["timeline"]!.AsArray().Select(s => (s!["state"]!.GetValue<string>(), s["from"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds())).ToList();
        Assert.Equal([("no_data", t0 - Hour), ("working", t0), ("idle", t0 + Hour), ("off", t0 + (2 * Hour)), ("no_data", t0 + (3 * Hour))], timeline);

        var fleet = await client.GetJsonAsync($"/api/v1/fleet/utilization?{range}");
        Assert.Equal(1.2, Assert.Single(fleet["machines"]!.AsArray())!["figures"]!["workingHours"]!.GetValue<double>(), 6);
        // On the site only while it stood there: the first hour.
        var onSite = Assert.Single(fleet["sites"]!.AsArray())!;
        Assert.Equal(site.Id(), onSite["geofenceId"]!.GetValue<long>());
        Assert.Equal(1, onSite["machines"]!.GetValue<int>());
        Assert.Equal(1, onSite["figures"]!["workingHours"]!.GetValue<double>(), 6);
        Assert.Equal(20, onSite["figures"]!["fuelPerWorkingHour"]!.GetValue<double>(), 6);

        await client.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/fleet/utilization?from={FleetKit.Time(t0)}&to={FleetKit.Time(t0 + (40 * 24 * Hour))}", null, HttpStatusCode.BadRequest, "at most");
        await client.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/fleet/utilization?from=2026-01-01T00:00:00", null, HttpStatusCode.BadRequest, "zone");
        // Another tenant: A's machine is not found, and its fleet figures hold only its own machine, none of A's sites.
        await other.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{kit.MachineId}/utilization?{range}", null, HttpStatusCode.NotFound, "");
        var theirs = await other.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/utilization?{range}");
        Assert.Equal(other.MachineId, Assert.Single(theirs["machines"]!.AsArray())!["machineId"]!.GetValue<long>());
        Assert.Empty(theirs["sites"]!.AsArray());
    }

    public sealed class OnSqlite(SqliteHost host) : UtilizationTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : UtilizationTests(host), IClassFixture<PostgresHost>;
}
