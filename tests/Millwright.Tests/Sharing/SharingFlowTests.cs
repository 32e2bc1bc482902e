using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Sharing;

/// <summary>
/// The marketplace end to end through REST: offers, a request, ranked instant quotes, a bid the provider accepts,
/// the award that books the machine time and enters the provider's production, and both audit logs.
/// </summary>
public abstract class SharingFlowTests(SharingHost fixture)
{
    private TestHost Host => fixture.Host;

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    [Fact]
    public async Task A_request_is_quoted_ranked_accepted_awarded_and_enters_the_providers_production()
    {
        var process = "milling-" + Guid.NewGuid().ToString("N")[..8];
        using var near = await Party.CreateAsync(Host, 48.78, 9.18, process);   // Stuttgart: near the buyer, dearer
        using var far = await Party.CreateAsync(Host, 48.14, 11.58, process);   // Munich: cheaper, farther
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var nearOffer = await near.OfferAsync(process, rate: 95);
        var farOffer = await far.OfferAsync(process, rate: 60);
        Assert.Equal(14 * 24, nearOffer["idleHours"]!.GetValue<double>(), 3);
        var request = await buyer.RequestAsync(process, Now.AddDays(3));

        var ranked = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{request.Id()}/candidates");
        var candidates = ranked["candidates"]!.AsArray();
        Assert.Equal(new[] { farOffer.Id(), nearOffer.Id() }.Order(), candidates.Select(c => c!["offerId"]!.GetValue<long>()).Order());
        foreach (var c in candidates)
        {
            // 20 min setup + 10 × 60 s = 0.5 h; the work starts after the providers' 4 h to answer, around the clock.
            Assert.Equal(0.5, c!["hours"]!.GetValue<double>(), 3);
            Assert.Equal(Now.AddHours(4), c["startAt"]!.GetValue<DateTimeOffset>());
            Assert.Equal(Now.AddHours(4.5), c["completionAt"]!.GetValue<DateTimeOffset>());
            Assert.Equal(0.5, c["confidence"]!.GetValue<double>());
            var b = c["breakdown"]!;
            var sum = b["machining"]!.GetValue<double>() + b["minimumTopUp"]!.GetValue<double>() + b["material"]!.GetValue<double>()
                + b["transport"]!.GetValue<double>() + b["margin"]!.GetValue<double>();
            Assert.Equal(c["price"]!.GetValue<double>(), sum, 1);
            Assert.Equal(10 * 0.4 * 6.5, b["material"]!.GetValue<double>(), 2);
        }

        // Both hit the minimum charge, so price differs by transport only: the near one is cheaper and sooner delivered.
        Assert.Equal(nearOffer.Id(), candidates[0]!["offerId"]!.GetValue<long>());
        Assert.DoesNotContain(near.MachineName, ranked.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(far.MachineName, ranked.ToJsonString(), StringComparison.Ordinal);

        // The provider finds the request in its inbox, without the buyer's name, budget or location.
        var inbox = (await near.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/inbox")).AsArray();
        var seen = inbox.Single(r => r!["id"]!.GetValue<long>() == request.Id())!;
        Assert.Null(seen["budget"]);
        Assert.Null(seen["location"]);
        Assert.DoesNotContain(buyer.Tenant.Slug, seen.ToJsonString(), StringComparison.Ordinal);

        var bid = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = nearOffer.Id() }, HttpStatusCode.Created);
        Assert.Equal("pending", bid["status"]!.GetValue<string>());
        Assert.Equal(Now.AddHours(4), bid["respondBy"]!.GetValue<DateTimeOffset>());
        Assert.Null(bid["windows"]);
        await buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/bids/{bid.Id()}/award", null, HttpStatusCode.Conflict, "has not answered");
        await buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/bids/{bid.Id()}/accept", new { }, HttpStatusCode.Forbidden, "Only the provider");

        var received = (await near.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/bids?role=provider"))["items"]!.AsArray().Single()!;
        Assert.Equal("provider", received["role"]!.GetValue<string>());
        Assert.Equal(request.Id(), received["request"]!["id"]!.GetValue<long>());
        Assert.Single(received["windows"]!.AsArray());
        var accepted = await near.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/accept", new { note = "can do" }, HttpStatusCode.OK);
        Assert.Equal("accepted", accepted["status"]!.GetValue<string>());

        var awarded = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/award", new { }, HttpStatusCode.OK);
        Assert.Equal("awarded", awarded["status"]!.GetValue<string>());
        Assert.Equal("awarded", (await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{request.Id()}"))["status"]!.GetValue<string>());

        // In the provider's production: a released order on the offered machine, due when the quote promised.
        var order = (await near.Tenant.Viewer.ListAsync("/api/v1/orders")).Single()!;
        Assert.Equal($"SH-{bid.Id()}", order["number"]!.GetValue<string>());
        Assert.Equal(10, order["quantity"]!.GetValue<long>());
        Assert.Equal(Now.AddHours(4.5), order["dueAt"]!.GetValue<DateTimeOffset>());
        var job = (await near.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}"))["jobs"]!.AsArray().Single()!;
        Assert.Equal(process, job["capability"]!.GetValue<string>());

        // The buyer follows the job and nothing else; the provider sees which order it is.
        var followed = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{bid.Id()}");
        Assert.Contains(followed["status"]!.GetValue<string>(), new[] { "released", "in_progress" });
        Assert.Equal(0, followed["good"]!.GetValue<long>());
        Assert.Null(followed["orderId"]);
        Assert.DoesNotContain(near.MachineName, followed.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(order.Id(), (await near.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{bid.Id()}"))["orderId"]!.GetValue<long>());
        await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}", HttpStatusCode.NotFound);

        // The booked half hour (plus nothing else yet) is gone from the provider's idle time.
        var after = await near.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/offers/{nearOffer.Id()}");
        Assert.True(after["idleHours"]!.GetValue<double>() <= (14 * 24) - 0.5 + 1e-9, after.ToJsonString());

        var buyerLog = await buyer.AuditSummariesAsync();
        var providerLog = await near.AuditSummariesAsync();
        Assert.Contains(buyerLog, e => e.StartsWith("ask sharing_bid", StringComparison.Ordinal));
        Assert.Contains(buyerLog, e => e.StartsWith("answer sharing_bid", StringComparison.Ordinal));
        Assert.Contains(buyerLog, e => e.StartsWith("award sharing_bid", StringComparison.Ordinal));
        Assert.Contains(providerLog, e => e.StartsWith("receive sharing_bid", StringComparison.Ordinal));
        Assert.Contains(providerLog, e => e.StartsWith("answer sharing_bid", StringComparison.Ordinal));
        Assert.Contains(providerLog, e => e.StartsWith("award sharing_bid", StringComparison.Ordinal));
        Assert.Contains(providerLog, e => e.StartsWith($"create order: shared order SH-{bid.Id()}", StringComparison.Ordinal));
        Assert.DoesNotContain(buyerLog, e => e.Contains(near.MachineName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_no_single_offer_can_serve_is_split_across_providers_with_the_transport_between_their_sites()
    {
        var milling = "milling-" + Guid.NewGuid().ToString("N")[..8];
        var anodizing = "anodizing-" + Guid.NewGuid().ToString("N")[..8];
        using var mill = await Party.CreateAsync(Host, 48.78, 9.18, milling);      // Stuttgart
        using var coater = await Party.CreateAsync(Host, 48.14, 11.58, anodizing);  // Munich
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var millOffer = await mill.OfferAsync(milling, change: o => o["reserveMinutes"] = 0);
        var coatOffer = await coater.OfferAsync(anodizing, change: o => o["reserveMinutes"] = 0);
        var request = await buyer.RequestAsync(milling, Now.AddDays(3), change: r => r["steps"]!.AsArray().Add(
            new JsonObject { ["process"] = anodizing, ["setupMinutes"] = 0, ["unitSeconds"] = 90 }));

        var whole = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{request.Id()}/candidates");
        Assert.Empty(whole["candidates"]!.AsArray());
        // Every offer in the market (other tests' too) is excluded by process: none runs both steps.
        Assert.Equal(whole["considered"]!.GetValue<int>(), whole["excluded"]!["process"]!.GetValue<int>());

        var plan = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{request.Id()}/split");
        Assert.True(plan["feasible"]!.GetValue<bool>(), plan.ToJsonString());
        var legs = plan["legs"]!.AsArray();
        Assert.Equal([millOffer.Id(), coatOffer.Id()], legs.Select(l => l!["offerId"]!.GetValue<long>()));
        // Milling 20 min + 10 × 60 s from the 4 h answer time; then 1 h handling + the km at 50 km/h to Munich; anodizing 10 × 90 s.
        Assert.Equal(Now.AddHours(4), legs[0]!["startAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Now.AddHours(4.5), legs[0]!["completionAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("next step", legs[0]!["transportTo"]!.GetValue<string>());
        var km = legs[0]!["transportKm"]!.GetValue<double>();
        Assert.InRange(km, 180, 200);
        Assert.Equal(1 + (km / 50), legs[0]!["transportHours"]!.GetValue<double>(), 1);   // km is shown rounded to 0.1
        Assert.Equal(legs[0]!["arrivalAt"]!.GetValue<DateTimeOffset>(), legs[1]!["startAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(legs[1]!["startAt"]!.GetValue<DateTimeOffset>().AddMinutes(15), legs[1]!["completionAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("buyer", legs[1]!["transportTo"]!.GetValue<string>());
        Assert.Equal(legs[1]!["arrivalAt"]!.GetValue<DateTimeOffset>(), plan["deliveryAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(legs.Sum(l => l!["price"]!.GetValue<double>()), plan["price"]!.GetValue<double>(), 2);
        Assert.DoesNotContain(mill.MachineName, plan.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(coater.MachineName, plan.ToJsonString(), StringComparison.Ordinal);

        // Without the second step's provider nobody can do it, and the answer names the step.
        await coater.Tenant.Admin.PostJsonAsync($"/api/v1/sharing/offers/{coatOffer.Id()}/cancel", new { }, HttpStatusCode.OK);
        plan = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{request.Id()}/split");
        Assert.False(plan["feasible"]!.GetValue<bool>());
        Assert.Equal("process", plan["constraint"]!.GetValue<string>());
        Assert.Contains($"step 2 ({anodizing})", plan["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        await mill.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{request.Id()}/split", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Idle_windows_follow_the_providers_calendar_planned_stops_and_plan()
    {
        var process = "boring-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        var monday = Now.Date == SharingHost.Start.Date ? SharingHost.Start : throw new InvalidOperationException("this class never moves its clock");
        await provider.Tenant.Admin.PutJsonAsync($"/api/v1/sites/{provider.SiteId}/calendar", new
        {
            shifts = new object[] { new { name = "early", days = new[] { "mon", "tue", "wed", "thu", "fri" }, start = "06:00", end = "14:00" } },
            plannedStops = new object[] { new { from = monday.AddDays(1).AddHours(6), to = monday.AddDays(1).AddHours(10), machineId = provider.MachineId, reason = "spindle service" } },
        }, HttpStatusCode.OK);
        var offer = await provider.OfferAsync(process, change: o => o["horizonDays"] = 7);
        Assert.Equal(8 + 4 + 8 + 8 + 8, offer["idleHours"]!.GetValue<double>(), 3);
        Assert.Equal(monday.AddDays(1).AddHours(10), offer["windows"]![1]!["start"]!.GetValue<DateTimeOffset>());

        // The provider's own order: an hour of work, planned at Monday's opening; the windows lose it and the reserve after it.
        var item = await provider.Tenant.Admin.PostJsonAsync("/api/v1/inventory-items", new { sku = $"{provider.Marker}-own", name = "own part", unitCost = 1 }, HttpStatusCode.Created);
        await provider.Tenant.Admin.PutJsonAsync($"/api/v1/items/{item.Id()}/routing", new { operations = new[] { new { id = "10", capability = process, unitSeconds = 360 } } }, HttpStatusCode.OK);
        await provider.Tenant.Operator.PostJsonAsync("/api/v1/orders", new
        {
            customer = "own customer", itemId = item.Id(), siteId = provider.SiteId, quantity = 10, dueAt = monday.AddDays(3), release = true,
        }, HttpStatusCode.Created);
        var planned = await Eventually.ValueAsync(
            () => provider.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/offers/{offer.Id()}"),
            o => o["idleHours"]!.GetValue<double>() < 36, "the offer's windows after the provider's plan");
        Assert.Equal(36 - 1.5, planned["idleHours"]!.GetValue<double>(), 3);
        Assert.Equal(monday.AddHours(7.5), planned["windows"]![0]!["start"]!.GetValue<DateTimeOffset>());

        // A buyer's quote for 20 min + 10 × 60 s starts at the first idle time after the providers' 4 h to answer.
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var request = await buyer.RequestAsync(process, monday.AddDays(5));
        var best = (await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{request.Id()}/candidates"))["candidates"]!.AsArray().Single()!;
        Assert.Equal(monday.AddHours(7.5), best["startAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(monday.AddHours(8), best["completionAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_request_no_offer_can_serve_is_told_which_constraint_excluded_every_candidate()
    {
        var process = "turning-" + Guid.NewGuid().ToString("N")[..8];
        using var coarse = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        await coarse.OfferAsync(process, change: o => o["toleranceMm"] = 0.1);

        var nobody = await buyer.RequestAsync("unheard-of-forming", Now.AddDays(3));
        var answer = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{nobody.Id()}/candidates");
        Assert.Empty(answer["candidates"]!.AsArray());
        Assert.Equal(answer["considered"]!.GetValue<int>(), answer["excluded"]!["process"]!.GetValue<int>());
        Assert.Contains("excluded by process", answer["explanation"]!.GetValue<string>(), StringComparison.Ordinal);

        // The one offer with the process holds 0.1 mm; the request needs 0.05 mm.
        var tight = await buyer.RequestAsync(process, Now.AddDays(3));
        answer = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{tight.Id()}/candidates");
        Assert.Empty(answer["candidates"]!.AsArray());
        Assert.Equal(1, answer["excluded"]!["tolerance"]!.GetValue<int>());
        Assert.Contains("1 offer excluded by tolerance (cannot hold the requested tolerance)", answer["explanation"]!.GetValue<string>(), StringComparison.Ordinal);

        // Due before the work could be done (4 h to answer, then 0.5 h), and a budget below the minimum charge.
        var hurried = await buyer.RequestAsync(process, Now.AddHours(3), change: r => r["toleranceMm"] = 0.2);
        answer = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{hurried.Id()}/candidates");
        Assert.Equal(1, answer["excluded"]!["dueDate"]!.GetValue<int>());
        var cancelled = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{hurried.Id()}/cancel", new { }, HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Offers_and_requests_with_impossible_values_are_refused_naming_each_field()
    {
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, "laser-cutting");
        using var response = await provider.Tenant.Admin.PostAsJsonAsync("/api/v1/sharing/offers", new
        {
            machineId = provider.MachineId, processes = new[] { "laser-cutting", "sand-3d-printing" }, materials = Array.Empty<object>(),
            envelopeMm = new { x = 0, y = 500, z = 1e9 }, toleranceMm = 0.01, hourlyRate = 0, horizonDays = 400, reserveMinutes = -5,
        }, TestHost.Json);
        var problem = await HttpAssertions.ExpectAsync(response, HttpStatusCode.BadRequest);
        var fields = problem["errors"]!.AsObject().Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "materials", "envelopeMm.x", "envelopeMm.z", "hourlyRate", "horizonDays", "reserveMinutes" }, fields);

        // Valid numbers, but a process the machine cannot do.
        problem = await provider.OfferAsync("sand-3d-printing", expected: HttpStatusCode.BadRequest);
        Assert.Contains("processes[0]", problem["errors"]!.AsObject().Select(e => e.Key));

        // A machine whose calendar leaves no working time in the horizon has no windows to offer.
        await provider.Tenant.Admin.PutJsonAsync($"/api/v1/sites/{provider.SiteId}/calendar", new
        {
            shifts = new object[] { new { name = "weekend", days = new[] { "sat" }, start = "08:00", end = "12:00" } },
        }, HttpStatusCode.OK);
        problem = await provider.OfferAsync("laser-cutting", change: o => o["horizonDays"] = 3, expected: HttpStatusCode.BadRequest);
        Assert.Contains("horizonDays", problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Empty((await provider.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/offers"))["items"]!.AsArray());

        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        problem = await buyer.RequestAsync("laser-cutting", Now.AddDays(-1), change: r =>
        {
            r["quantity"] = 0;
            r["budget"] = -1;
            r["location"] = new JsonObject { ["latitude"] = 95, ["longitude"] = 0 };
            r["steps"]!.AsArray()[0]!["unitSeconds"] = 0;
        }, expected: HttpStatusCode.BadRequest);
        Assert.Superset(new HashSet<string> { "quantity", "budget", "location", "dueAt", "steps[0].unitSeconds" }, problem["errors"]!.AsObject().Select(e => e.Key).ToHashSet());
    }

    public sealed class OnSqlite(SqliteSharingHost host) : SharingFlowTests(host), IClassFixture<SqliteSharingHost>;

    public sealed class OnPostgres(PostgresSharingHost host) : SharingFlowTests(host), IClassFixture<PostgresSharingHost>;
}
