using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Sharing;

/// <summary>Negotiation and the atomic award: deadlines, counters, concurrent awards of one idle window, withdrawn offers.</summary>
public abstract class SharingAwardTests(SharingHost fixture)
{
    private TestHost Host => fixture.Host;

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    [Fact]
    public async Task Concurrent_awards_of_the_same_idle_window_book_it_once()
    {
        var process = "edm-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        var offer = await provider.OfferAsync(process);
        var buyers = new List<Party>();
        var bids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
            buyers.Add(buyer);
            var request = await buyer.RequestAsync(process, Now.AddDays(2), quantity: 60, unitSeconds: 100);
            var bid = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
            await provider.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/accept", new { }, HttpStatusCode.OK);
            bids.Add(bid.Id());
        }

        // Every bid was quoted the same machine time: the first 2 h after the answer deadline.
        var statuses = await Task.WhenAll(buyers.Select(async (b, i) =>
        {
            using var response = await b.Tenant.Operator.PostAsync($"/api/v1/sharing/bids/{bids[i]}/award", JsonContent.Create(new { }));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        Assert.Single(statuses, s => s.StatusCode == HttpStatusCode.OK);
        Assert.All(statuses.Where(s => s.StatusCode != HttpStatusCode.OK), s =>
        {
            Assert.Equal(HttpStatusCode.Conflict, s.StatusCode);
            Assert.Contains("no longer free", s.Body, StringComparison.Ordinal);
        });

        // One order entered production; the losers' requests stay open with nothing half-applied.
        Assert.Single(await provider.Tenant.Viewer.ListAsync("/api/v1/orders"));
        var jobs = (await provider.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/jobs?role=provider"))["items"]!.AsArray();
        Assert.Single(jobs);
        var winner = statuses.ToList().FindIndex(s => s.StatusCode == HttpStatusCode.OK);
        var loser = buyers[(winner + 1) % buyers.Count];
        var open = (await loser.Tenant.Viewer.ListAsync("/api/v1/sharing/requests")).Single()!;
        Assert.Equal("open", open["status"]!.GetValue<string>());
        Assert.Empty((await loser.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/jobs"))["items"]!.AsArray());

        // A new quote for a loser lies after the booked time (and its reserve around the planned job), and can be awarded.
        var again = (await loser.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{open.Id()}/candidates"))["candidates"]!.AsArray().Single()!;
        Assert.True(again["startAt"]!.GetValue<DateTimeOffset>() >= Now.AddHours(6), again.ToJsonString());
        foreach (var b in buyers)
        {
            b.Dispose();
        }
    }

    [Fact]
    public async Task Answers_after_the_deadline_and_awards_after_the_quoted_window_began_are_refused()
    {
        var process = "grinding-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var offer = await provider.OfferAsync(process);
        var late = await buyer.RequestAsync(process, Now.AddDays(2), change: r => r["responseHours"] = 1);
        var unanswered = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{late.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
        var slow = await buyer.RequestAsync(process, Now.AddDays(2), change: r => r["responseHours"] = 2);
        var answered = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{slow.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
        var countered = await provider.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{answered.Id()}/counter", new { price = 999.5, note = "rush job" }, HttpStatusCode.OK);
        Assert.Equal("countered", countered["status"]!.GetValue<string>());
        Assert.Equal(999.5, countered["price"]!.GetValue<double>());

        fixture.Clock.Advance(TimeSpan.FromMinutes(90));
        await provider.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/bids/{unanswered.Id()}/accept", new { }, HttpStatusCode.Conflict, "deadline has passed");
        Assert.Equal("expired", (await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/bids/{unanswered.Id()}"))["status"]!.GetValue<string>());

        // The countered bid's machine time began 2 h after the quote: half an hour later it can no longer be awarded.
        fixture.Clock.Advance(TimeSpan.FromMinutes(31));
        await buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/bids/{answered.Id()}/award", null, HttpStatusCode.Conflict, "the quote has expired");
        Assert.Empty(await provider.Tenant.Viewer.ListAsync("/api/v1/orders"));
        Assert.Equal("open", (await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{slow.Id()}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_countered_bid_is_awarded_at_the_counter_price_and_a_withdrawn_offer_keeps_its_awarded_work()
    {
        var process = "honing-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var offer = await provider.OfferAsync(process);
        var request = await buyer.RequestAsync(process, Now.AddDays(2));
        var bid = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
        await buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Conflict, "already asked");
        await provider.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/counter", new { price = 450 }, HttpStatusCode.OK);
        await provider.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/bids/{bid.Id()}/decline", new { }, HttpStatusCode.Conflict, "only a pending bid");
        await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/award", new { }, HttpStatusCode.OK);
        Assert.Equal(450, (await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{bid.Id()}"))["price"]!.GetValue<double>());

        await provider.Tenant.Admin.PostJsonAsync($"/api/v1/sharing/offers/{offer.Id()}/cancel", new { }, HttpStatusCode.OK);
        var next = await buyer.RequestAsync(process, Now.AddDays(2));
        var candidates = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{next.Id()}/candidates");
        Assert.Empty(candidates["candidates"]!.AsArray());
        Assert.DoesNotContain(offer.Id().ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await buyer.Tenant.Viewer.ListAsync("/api/v1/sharing/market")).Select(o => o!["id"]!.ToJsonString()));
        await buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/requests/{next.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.BadRequest, "no active offer");
        Assert.Empty((await provider.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/inbox")).AsArray());

        // The awarded job goes on: its order is still in production and the buyer still follows it.
        var job = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{bid.Id()}");
        Assert.Contains(job["status"]!.GetValue<string>(), new[] { "released", "in_progress" });
        Assert.Single(await provider.Tenant.Viewer.ListAsync("/api/v1/orders"));
    }

    [Fact]
    public async Task Requests_and_offers_are_limited_per_tenant()
    {
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, "milling");
        var second = await provider.Tenant.Admin.PostJsonAsync("/api/v1/machines", new { lineId = await LineOfAsync(provider), typeId = await TypeOfAsync(provider), name = $"{provider.Marker}-2" }, HttpStatusCode.Created);
        var third = await provider.Tenant.Admin.PostJsonAsync("/api/v1/machines", new { lineId = await LineOfAsync(provider), typeId = await TypeOfAsync(provider), name = $"{provider.Marker}-3" }, HttpStatusCode.Created);
        foreach (var machine in new[] { second.Id(), third.Id() })
        {
            await provider.Tenant.Admin.PutJsonAsync($"/api/v1/machines/{machine}/capabilities", new { capabilities = new[] { "milling" } }, HttpStatusCode.OK);
        }

        await provider.OfferAsync("milling");
        await provider.Tenant.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/sharing/offers", Party.OfferBody(provider.MachineId, "milling"), HttpStatusCode.Conflict, "already has an active offer");
        await provider.Tenant.Admin.PostJsonAsync("/api/v1/sharing/offers", Party.OfferBody(second.Id(), "milling"), HttpStatusCode.Created);
        var refused = await provider.Tenant.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/sharing/offers", Party.OfferBody(third.Id(), "milling"), HttpStatusCode.Forbidden, "'shared-offers' quota is 2");
        Assert.Equal("shared-offers", refused["quota"]!.GetValue<string>());

        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        for (var i = 0; i < 3; i++)
        {
            await buyer.RequestAsync("milling", Now.AddDays(2));
        }

        await buyer.RequestAsync("milling", Now.AddDays(2), expected: HttpStatusCode.Forbidden);
        var quotas = (await buyer.Tenant.Viewer.GetJsonAsync("/api/v1/quotas"))["quotas"]!.AsArray();
        var requests = quotas.Single(q => q!["name"]!.GetValue<string>() == "shared-requests")!;
        Assert.Equal(3, requests["limit"]!.GetValue<long>());
        Assert.Equal(3, requests["used"]!.GetValue<long>());
    }

    private static async Task<long> LineOfAsync(Party p) => (await p.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{p.MachineId}"))["lineId"]!.GetValue<long>();

    private static async Task<long> TypeOfAsync(Party p) => (await p.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{p.MachineId}"))["typeId"]!.GetValue<long>();

    [Fact]
    public async Task An_award_and_a_cancel_of_the_same_request_at_once_leave_exactly_one_of_them_whole()
    {
        var process = "lapping-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var offer = await provider.OfferAsync(process);
        for (var round = 0; round < 3; round++)
        {
            var request = await buyer.RequestAsync(process, Now.AddDays(2), quantity: 5);
            var bid = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
            await provider.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/accept", new { }, HttpStatusCode.OK);

            var award = Send(buyer, $"/api/v1/sharing/bids/{bid.Id()}/award");
            var cancel = Send(buyer, $"/api/v1/sharing/requests/{request.Id()}/cancel");
            var answers = await Task.WhenAll(award, cancel);

            // Never a server error (a deadlock aborted on PostgreSQL): one wins, the other is told why.
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
            var status = (await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{request.Id()}"))["status"]!.GetValue<string>();
            var orders = (await provider.Tenant.Viewer.ListAsync("/api/v1/orders")).Count(o => o!["number"]!.GetValue<string>() == $"SH-{bid.Id()}");
            Assert.Equal(answers[0].StatusCode == HttpStatusCode.OK ? ("awarded", 1) : ("cancelled", 0), (status, orders));
        }

        static async Task<(HttpStatusCode StatusCode, string Body)> Send(Party party, string path)
        {
            using var response = await party.Tenant.Operator.PostAsync(path, JsonContent.Create(new { }));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    public sealed class OnSqlite(SqliteSharingHost host) : SharingAwardTests(host), IClassFixture<SqliteSharingHost>;

    public sealed class OnPostgres(PostgresSharingHost host) : SharingAwardTests(host), IClassFixture<PostgresSharingHost>;
}
