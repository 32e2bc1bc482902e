using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary>Stored site requests and plan revisions: plan, accept, re-plan after a breakdown or a changed request, through the REST API.</summary>
public abstract class AllocationStoreTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Stored_requests_are_planned_and_a_breakdown_replans_from_the_stored_plan_moving_only_its_request()
    {
        using var fleet = await AllocationFleetKit.CreateAsync(Host);
        var munich = await fleet.RequestAsync("Munich ring road", 48.137, 11.575);
        var berlin = await fleet.RequestAsync("Berlin BER", 52.4, 13.0);
        var hamburg = await fleet.RequestAsync("Hamburg port", 53.55, 10.0);

        var first = await fleet.PlanAsync(new { });
        Assert.Equal(1, first["revision"]!.GetValue<int>());
        Assert.Equal("proposed", first["status"]!.GetValue<string>());
        Assert.Equal(new Dictionary<long, long> { [munich] = fleet.Machines["munich"], [berlin] = fleet.Machines["berlin"], [hamburg] = fleet.Machines["hamburg"] },
            AllocationFleetKit.Assignments(first));
        var costs = first["assignments"]!.AsArray().Select(a => a!["cost"]!.GetValue<double>()).ToList();
        Assert.All(first["assignments"]!.AsArray(), a => Assert.Equal("not_sent", a!["dispatch"]!["status"]!.GetValue<string>()));
        Assert.Equal(Math.Round(costs.Sum(), 2), first["totalCost"]!.GetValue<double>(), 2);
        Assert.Equal("Munich ring road", first["assignments"]![0]!["site"]!.GetValue<string>());
        var accepted = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{first.Id()}/accept", new { }, HttpStatusCode.OK);
        Assert.Equal("accepted", accepted["status"]!.GetValue<string>());

        // The Munich machine breaks down: only its request moves (to Paris, the one machine left free), and the revision says why.
        var second = await fleet.PlanAsync(new { brokenDown = new[] { fleet.Machines["munich"] }, changePenalty = 100_000 });
        Assert.Equal(2, second["revision"]!.GetValue<int>());
        Assert.Equal(first.Id(), second["basedOn"]!.GetValue<long>());
        Assert.Equal(1, second["changes"]!.GetValue<int>());
        Assert.Equal(new Dictionary<long, long> { [munich] = fleet.Machines["paris"], [berlin] = fleet.Machines["berlin"], [hamburg] = fleet.Machines["hamburg"] },
            AllocationFleetKit.Assignments(second));
        Assert.Equal([munich], second["assignments"]!.AsArray().Where(a => a!["moved"]!.GetValue<bool>()).Select(a => a!["requestId"]!.GetValue<long>()));
        var skipped = Assert.Single(second["skipped"]!.AsArray())!;
        Assert.Equal(fleet.Machines["munich"], skipped["machineId"]!.GetValue<long>());
        Assert.Equal("broken down", skipped["reason"]!.GetValue<string>());
        Assert.Contains("breakdown", second["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{second.Id()}/accept", new { }, HttpStatusCode.OK);

        // Hamburg's request moves to Paris: swapping Hamburg's and Paris' machines would save, but not more than the penalty.
        await fleet.Operator.PutJsonAsync($"/api/v1/fleet/site-requests/{hamburg}", AllocationFleetKit.Request("Paris north", 48.9, 2.4), HttpStatusCode.OK);
        var calm = await fleet.PlanAsync(new { brokenDown = new[] { fleet.Machines["munich"] }, changePenalty = 100_000 });
        Assert.Equal(0, calm["changes"]!.GetValue<int>());
        Assert.Equal(second.Id(), calm["basedOn"]!.GetValue<long>());
        var free = await fleet.PlanAsync(new { brokenDown = new[] { fleet.Machines["munich"] }, changePenalty = 0 });
        Assert.Equal(2, free["changes"]!.GetValue<int>());
        Assert.Equal(fleet.Machines["paris"], AllocationFleetKit.Assignments(free)[hamburg]);
        Assert.True(free["totalCost"]!.GetValue<double>() < calm["totalCost"]!.GetValue<double>());

        // A cancelled request leaves the next plan; the list shows every revision, newest first.
        var cancelled = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/site-requests/{berlin}/cancel", new { }, HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        var fifth = await fleet.PlanAsync(new { changePenalty = 100_000 });
        Assert.DoesNotContain(berlin, AllocationFleetKit.Assignments(fifth).Keys);
        Assert.Equal([5, 4, 3, 2, 1], (await fleet.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/allocation-plans")).AsArray().Select(p => p!["revision"]!.GetValue<int>()));
        Assert.Equal([munich, hamburg], (await fleet.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/site-requests?status=open")).AsArray().Select(r => r!.Id()));

        // Every write is audited.
        Assert.Equal(5, (await fleet.Tenant.Admin.ListAsync("/api/v1/audit?entity=allocation-plan")).Count(e => e!["action"]!.GetValue<string>() == "create"));
        Assert.Equal(["cancel", "create", "create", "create", "update"],
            (await fleet.Tenant.Admin.ListAsync("/api/v1/audit?entity=site-request")).Select(e => e!["action"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Bad_requests_and_plans_get_problem_details_naming_the_field_and_store_nothing()
    {
        using var fleet = await AllocationFleetKit.CreateAsync(Host, machines: 1, serial: "BAD-1");
        using var stranger = await AllocationFleetKit.CreateAsync(Host, machines: 1, serial: "BAD-2");
        var op = fleet.Operator;

        var unknown = await op.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/site-requests",
            new { site = "x", category = "tower_crane", latitude = 50.0, longitude = 10.0, from = "2027-03-01T00:00:00Z", to = "2027-03-02T00:00:00Z" },
            HttpStatusCode.BadRequest, "unknown machine type 'tower_crane'");
        Assert.NotNull(unknown["errors"]!["category"]);
        var tooBig = await op.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/site-requests", AllocationFleetKit.Request("x", 50, 10, bucket: 5),
            HttpStatusCode.BadRequest, "no excavator of the fleet has bucket_m3 ≥ 5");
        Assert.NotNull(tooBig["errors"]!["minCapabilities.bucket_m3"]);
        var latitude = await op.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/site-requests", AllocationFleetKit.Request("x", 91, 10), HttpStatusCode.BadRequest, "latitude");
        Assert.NotNull(latitude["errors"]!["latitude"]);
        await op.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/site-requests",
            AllocationFleetKit.Request("x", 50, 10, from: "2027-03-02T00:00:00Z", to: "2027-03-01T00:00:00Z"), HttpStatusCode.BadRequest, "from before to");
        var broken = await op.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/allocation-plans", new { brokenDown = new[] { stranger.Kit.MachineId } },
            HttpStatusCode.BadRequest, "not an allocated fleet machine of this tenant");
        Assert.NotNull(broken["errors"]!["brokenDown[0]"]);
        await op.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{stranger.Kit.MachineId}/allocation-profile",
            new { category = "excavator", dailyRate = 1.0 }, HttpStatusCode.NotFound, "");
        await op.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{fleet.Kit.MachineId}/allocation-profile",
            new { category = "excavator", dailyRate = -1.0 }, HttpStatusCode.BadRequest, "dailyRate");
        await fleet.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/allocation-plans", new { }, HttpStatusCode.Forbidden, "");
        Assert.Empty((await op.GetJsonAsync("/api/v1/fleet/site-requests")).AsArray());
        Assert.Empty((await op.GetJsonAsync("/api/v1/fleet/allocation-plans")).AsArray());

        // Only the latest proposal can be accepted, and only once.
        await fleet.RequestAsync("Berlin", 52.5, 13.4);
        var older = await fleet.PlanAsync(new { });
        var newer = await fleet.PlanAsync(new { });
        await op.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/fleet/allocation-plans/{older.Id()}/accept", null, HttpStatusCode.Conflict, "revision 2 is newer");
        await op.PostJsonAsync($"/api/v1/fleet/allocation-plans/{newer.Id()}/accept", new { }, HttpStatusCode.OK);
        await op.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/fleet/allocation-plans/{newer.Id()}/accept", null, HttpStatusCode.Conflict, "is accepted");
    }

    [Fact]
    public async Task An_assignment_needs_a_licensed_available_operator_and_bad_operator_input_names_the_field()
    {
        using var fleet = await AllocationFleetKit.CreateAsync(Host, machines: 2, serial: "OPS-1", operators: 0);
        var op = fleet.Operator;
        var anna = await op.PostJsonAsync("/api/v1/fleet/operators",
            AllocationFleetKit.Driver("Anna", unavailable: new { from = "2027-03-02T00:00:00Z", to = "2027-03-03T00:00:00Z", reason = "training" }), HttpStatusCode.Created);
        await op.PostJsonAsync("/api/v1/fleet/operators", AllocationFleetKit.Driver("Ben", validTo: "2027-03-02T00:00:00Z"), HttpStatusCode.Created);
        var munich = await fleet.RequestAsync("Munich", 48.137, 11.575, "2027-03-01T00:00:00Z", "2027-03-04T00:00:00Z");
        var berlin = await fleet.RequestAsync("Berlin", 52.5, 13.4, "2027-03-05T00:00:00Z", "2027-03-06T00:00:00Z");

        // Anna is away during Munich's range and Ben's licence ends in it: Munich waits, Anna drives in Berlin.
        var first = await fleet.PlanAsync(new { });
        var only = Assert.Single(first["assignments"]!.AsArray())!;
        Assert.Equal(berlin, only["requestId"]!.GetValue<long>());
        Assert.Equal("Anna", only["operatorName"]!.GetValue<string>());
        Assert.Equal(anna.Id(), only["operatorId"]!.GetValue<long>());
        var waiting = Assert.Single(first["unserved"]!.AsArray())!;
        Assert.Equal(munich, waiting["requestId"]!.GetValue<long>());
        Assert.Contains("no operator licensed for 'excavator'", waiting["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // Without her absence Anna drives both, one after the other.
        await op.PutJsonAsync($"/api/v1/fleet/operators/{anna.Id()}", AllocationFleetKit.Driver("Anna"), HttpStatusCode.OK);
        var second = await fleet.PlanAsync(new { });
        Assert.Equal(["Anna", "Anna"], second["assignments"]!.AsArray().Select(a => a!["operatorName"]!.GetValue<string>()));
        Assert.Empty(second["unserved"]!.AsArray());

        var unknown = await op.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/operators",
            new { name = "Cleo", licences = new[] { new { category = "tower_crane", validFrom = "2027-01-01T00:00:00Z", validTo = "2028-01-01T00:00:00Z" } } },
            HttpStatusCode.BadRequest, "unknown machine type 'tower_crane'");
        Assert.NotNull(unknown["errors"]!["licences[0].category"]);
        var overlapping = await op.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/operators", AllocationFleetKit.Driver("Dan", "2028-01-01T00:00:00Z",
            new { from = "2027-03-01T00:00:00Z", to = "2027-03-05T00:00:00Z" }, new { from = "2027-03-04T00:00:00Z", to = "2027-03-06T00:00:00Z" }),
            HttpStatusCode.BadRequest, "overlaps the operator's booking");
        Assert.NotNull(overlapping["errors"]!["unavailable[1]"]);
        var backwards = await op.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/operators", AllocationFleetKit.Driver("Eve", "2026-01-01T00:00:00Z"),
            HttpStatusCode.BadRequest, "validFrom before validTo");
        Assert.NotNull(backwards["errors"]!["licences[0].validTo"]);
        await op.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/operators", AllocationFleetKit.Driver("Anna"), HttpStatusCode.Conflict, "Anna");
        Assert.Equal(["Anna", "Ben"], (await op.GetJsonAsync("/api/v1/fleet/operators")).AsArray().Select(o => o!["name"]!.GetValue<string>()));
    }

    public sealed class OnSqlite(SqliteHost host) : AllocationStoreTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : AllocationStoreTests(host), IClassFixture<PostgresHost>;
}
