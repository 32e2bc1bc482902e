using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

public abstract class PlanApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_plan_assigns_the_tenants_fleet_machine_from_its_reported_location_and_refuses_bad_input()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        using var other = await FleetKit.CreateAsync(Host, serial: "OTHER-1");
        await kit.SendAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000, new { latitude = 52.52, longitude = 13.405 });
        object Request(double lat, double lon, string from, string to) => new { category = "excavator", minCapabilities = new { bucket_m3 = 1.0 }, latitude = lat, longitude = lon, from, to };
        var machine = new { machineId = kit.MachineId, category = "excavator", capabilities = new { bucket_m3 = 2.0 }, dailyRate = 250.0 };

        var plan = await kit.Tenant.Operator.PostJsonAsync("/api/v1/fleet/plans", new
        {
            requests = new[] { Request(48.137, 11.575, "2027-03-01T00:00:00Z", "2027-03-04T00:00:00Z"), Request(52.4, 13.0, "2027-03-04T00:00:00Z", "2027-03-05T00:00:00Z") },
            machines = new[] { machine },
        }, HttpStatusCode.OK);

        // One machine, two requests one after the other: it takes both (CP-SAT), each priced from its location.
        Assert.Equal("cp-sat", plan["method"]!.GetValue<string>());
        var assignments = plan["assignments"]!.AsArray();
        Assert.Equal(2, assignments.Count);
        Assert.All(assignments, a => Assert.Equal(kit.MachineId, a!["machineId"]!.GetValue<long>()));
        Assert.Equal(750, assignments[0]!["rentalCost"]!.GetValue<double>());
        Assert.InRange(assignments[0]!["roadKm"]!.GetValue<double>(), 650, 660); // about 504 km × 1.3
        Assert.Equal(Math.Round(assignments.Sum(a => a!["transportCost"]!.GetValue<double>() + a["rentalCost"]!.GetValue<double>()), 2), plan["totalCost"]!.GetValue<double>(), 2);

        await kit.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/plans", new
        {
            requests = new[] { Request(91, 13, "2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z") },
            machines = new[] { machine },
        }, HttpStatusCode.BadRequest, "latitude must be -90..90");
        // Another tenant's machine is not offered, whatever its id.
        await kit.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/plans", new
        {
            requests = new[] { Request(50, 10, "2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z") },
            machines = new[] { new { machineId = other.MachineId, category = "excavator", capabilities = new { bucket_m3 = 2.0 }, dailyRate = 1.0 } },
        }, HttpStatusCode.BadRequest, "not fleet equipment of this tenant");
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/plans", new { requests = Array.Empty<object>() }, HttpStatusCode.Forbidden, "");
    }

    public sealed class OnSqlite(SqliteHost host) : PlanApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : PlanApiTests(host), IClassFixture<PostgresHost>;
}
