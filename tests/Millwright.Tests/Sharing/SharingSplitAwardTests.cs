using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Sharing;

/// <summary>
/// A split plan made binding (docs/sharing.md, "Awarding a split plan"): one bid per leg, each provider answering its
/// own, and an award of all legs at once, every leg booked and in its provider's production, or nothing at all.
/// </summary>
public abstract class SharingSplitAwardTests(SharingHost fixture)
{
    private TestHost Host => fixture.Host;

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    [Fact]
    public async Task A_split_plan_is_confirmed_leg_by_leg_and_awarded_whole_into_each_providers_production_with_the_transport_kept()
    {
        await using var m = await MarketAsync();
        var split = await SplitAsync(m.Buyer, m.Request);
        Assert.Equal("pending", split["status"]!.GetValue<string>());
        var legs = split["legs"]!.AsArray();
        Assert.Equal([1, 2], legs.Select(l => l!["step"]!.GetValue<int>()));
        Assert.Equal([m.MillOffer, m.CoatOffer], legs.Select(l => l!["offerId"]!.GetValue<long>()));
        var (millBid, coatBid) = (legs[0]!["bidId"]!.GetValue<long>(), legs[1]!["bidId"]!.GetValue<long>());

        // A leg is not awarded alone, and a plan with an unanswered leg is refused naming that leg.
        await m.Buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/bids/{millBid}/award", null, HttpStatusCode.Conflict, "awarded whole");
        await m.Mill.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{millBid}/accept", new { }, HttpStatusCode.OK);
        var refused = await m.Buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/splits/{split.Id()}/award", null, HttpStatusCode.Conflict, $"Leg 2 ({m.Anodizing}");
        Assert.Equal(2, refused["leg"]!.GetValue<int>());

        // The coater declines: the plan cannot be awarded; a new plan replaces it (the mill's accepted leg is closed).
        await m.Coater.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{coatBid}/decline", new { note = "full" }, HttpStatusCode.OK);
        Assert.Equal("declined", (await m.Buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/splits/{split.Id()}"))["status"]!.GetValue<string>());
        await m.Buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/splits/{split.Id()}/award", null, HttpStatusCode.Conflict, "is declined");
        var first = split.Id();
        split = await SplitAsync(m.Buyer, m.Request);
        Assert.Equal("closed", (await m.Buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/splits/{first}"))["status"]!.GetValue<string>());
        Assert.Equal("closed", (await m.Mill.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/bids/{millBid}"))["status"]!.GetValue<string>());
        legs = split["legs"]!.AsArray();
        (millBid, coatBid) = (legs[0]!["bidId"]!.GetValue<long>(), legs[1]!["bidId"]!.GetValue<long>());
        await m.Mill.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{millBid}/accept", new { }, HttpStatusCode.OK);
        await m.Coater.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{coatBid}/counter", new { price = 333.3 }, HttpStatusCode.OK);
        Assert.Equal("ready", (await m.Buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/splits/{split.Id()}"))["status"]!.GetValue<string>());

        var awarded = await m.Buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/splits/{split.Id()}/award", new { }, HttpStatusCode.OK);
        Assert.Equal("awarded", awarded["status"]!.GetValue<string>());
        Assert.Equal(legs[0]!["price"]!.GetValue<double>() + 333.3, awarded["price"]!.GetValue<double>(), 2);
        Assert.Equal("awarded", (await m.Buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{m.Request}"))["status"]!.GetValue<string>());

        // Each leg is an order in its provider's production, with only its own step, on the offered machine.
        var millOrder = await SingleOrderAsync(m.Mill, millBid);
        var coatOrder = await SingleOrderAsync(m.Coater, coatBid);
        Assert.Equal(m.Milling, millOrder["jobs"]!.AsArray().Single()!["capability"]!.GetValue<string>());
        Assert.Equal(m.Anodizing, coatOrder["jobs"]!.AsArray().Single()!["capability"]!.GetValue<string>());

        // The transport between the sites is in the plan, and the coater's booked window starts when the parts arrive.
        var (mill, coat) = (awarded["legs"]![0]!, awarded["legs"]![1]!);
        Assert.Equal("next step", mill["transportTo"]!.GetValue<string>());
        Assert.InRange(mill["transportHours"]!.GetValue<double>(), 4.5, 5.2);   // 1 h handling + about 190 km at 50 km/h
        Assert.Equal(mill["arrivalAt"]!.GetValue<DateTimeOffset>(), coat["startAt"]!.GetValue<DateTimeOffset>());
        var afterTransport = mill["completionAt"]!.GetValue<DateTimeOffset>().AddHours(mill["transportHours"]!.GetValue<double>());
        Assert.InRange((coat["startAt"]!.GetValue<DateTimeOffset>() - afterTransport).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(6));   // hours shown to 0.001
        var booked = (await m.Coater.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/bids/{coatBid}"))["windows"]!.AsArray();
        Assert.Equal(coat["startAt"]!.GetValue<DateTimeOffset>(), booked[0]!["start"]!.GetValue<DateTimeOffset>());
        var coatJob = await Eventually.ValueAsync(
            async () => (await m.Coater.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{coatOrder.Id()}"))["jobs"]!.AsArray().Single()!,
            j => j["plannedStart"] is not null, "the coater's leg planned");
        Assert.Equal(coat["startAt"]!.GetValue<DateTimeOffset>(), coatJob["plannedStart"]!.GetValue<DateTimeOffset>());

        // The buyer follows both legs as jobs; both sides' audit logs hold the award.
        var jobs = (await m.Buyer.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/jobs"))["items"]!.AsArray();
        Assert.Equal([1, 2], jobs.Select(j => j!["step"]!.GetValue<int>()).Order());
        Assert.Contains(await m.Buyer.AuditSummariesAsync(), e => e.StartsWith($"award sharing_split: awarded split plan {split.Id()}", StringComparison.Ordinal));
        Assert.Contains(await m.Coater.AuditSummariesAsync(), e => e.StartsWith("award sharing_bid:", StringComparison.Ordinal) && e.Contains($"order SH-{coatBid}", StringComparison.Ordinal));
        Assert.Contains(await m.Mill.AuditSummariesAsync(), e => e.StartsWith("award sharing_bid:", StringComparison.Ordinal) && e.Contains($"order SH-{millBid}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_provider_of_a_split_plan_sees_only_its_own_leg()
    {
        await using var m = await MarketAsync();
        var split = await SplitAsync(m.Buyer, m.Request);
        var (millBid, coatBid) = (split["legs"]![0]!["bidId"]!.GetValue<long>(), split["legs"]![1]!["bidId"]!.GetValue<long>());
        await m.Mill.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{millBid}/accept", new { }, HttpStatusCode.OK);
        await m.Coater.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{coatBid}/accept", new { }, HttpStatusCode.OK);
        await m.Buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/splits/{split.Id()}/award", new { }, HttpStatusCode.OK);
        using var stranger = await Party.CreateAsync(Host, 48.74, 9.31);

        foreach (var (me, mine, other, otherBid) in new[] { (m.Coater, coatBid, m.Mill, millBid), (m.Mill, millBid, m.Coater, coatBid) })
        {
            // The split plan is the buyer's; the other leg's bid and job are not this provider's to see.
            await me.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/splits/{split.Id()}", HttpStatusCode.NotFound);
            await me.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/bids/{otherBid}", HttpStatusCode.NotFound);
            await me.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{otherBid}", HttpStatusCode.NotFound);
            await me.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/splits/{split.Id()}/award", null, HttpStatusCode.NotFound, "no split plan");

            var bid = await me.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/bids/{mine}");
            Assert.Null(bid["splitId"]);
            var steps = bid["request"]!["steps"]!.AsArray();
            Assert.Equal(bid["step"]!.GetValue<int>() == 1 ? m.Milling : m.Anodizing, steps.Single()!["process"]!.GetValue<string>());
            var seen = string.Join('\n', new[]
            {
                bid.ToJsonString(),
                (await me.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/bids?role=provider")).ToJsonString(),
                (await me.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/jobs?role=provider")).ToJsonString(),
                (await me.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{mine}")).ToJsonString(),
                (await me.Tenant.Viewer.GetJsonAsync("/api/v1/orders")).ToJsonString(),
                string.Join('\n', await me.AuditSummariesAsync()),
            });
            // Nothing of the other leg: its provider, process, machine, bid or order number.
            Assert.DoesNotContain(other.Tenant.Slug, seen, StringComparison.Ordinal);
            Assert.DoesNotContain(other.MachineName, seen, StringComparison.Ordinal);
            Assert.DoesNotContain(other == m.Mill ? m.Milling : m.Anodizing, seen, StringComparison.Ordinal);
            Assert.DoesNotContain($"SH-{otherBid}", seen, StringComparison.Ordinal);
            Assert.Single((await me.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/bids?role=provider"))["items"]!.AsArray());
        }

        await stranger.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/splits/{split.Id()}", HttpStatusCode.NotFound);
        await stranger.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/bids/{millBid}", HttpStatusCode.NotFound);
        await stranger.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/requests/{m.Request}/splits", null, HttpStatusCode.NotFound, "no request");
    }

    [Fact]
    public async Task A_taken_window_on_the_second_leg_refuses_the_whole_award_naming_that_leg_and_books_nothing()
    {
        await using var m = await MarketAsync();
        var split = await SplitAsync(m.Buyer, m.Request);
        var (millBid, coatBid) = (split["legs"]![0]!["bidId"]!.GetValue<long>(), split["legs"]![1]!["bidId"]!.GetValue<long>());
        await m.Mill.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{millBid}/accept", new { }, HttpStatusCode.OK);
        await m.Coater.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{coatBid}/accept", new { }, HttpStatusCode.OK);

        // Another buyer wins the coater's time over the second leg's window first: its work starts within the hour before.
        var legTwo = split["legs"]![1]!["startAt"]!.GetValue<DateTimeOffset>();
        using var rival = await Party.CreateAsync(Host, 48.20, 11.50);
        var answerHours = (int)Math.Floor((legTwo - Now).TotalHours);
        var rivalRequest = await rival.RequestAsync(m.Anodizing, Now.AddDays(3), quantity: 60, unitSeconds: 100, change: r => r["responseHours"] = answerHours);
        var rivalBid = await rival.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{rivalRequest.Id()}/bids", new { offerId = m.CoatOffer }, HttpStatusCode.Created);
        await m.Coater.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{rivalBid.Id()}/accept", new { }, HttpStatusCode.OK);
        await rival.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{rivalBid.Id()}/award", new { }, HttpStatusCode.OK);

        var refused = await m.Buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/splits/{split.Id()}/award", null,
            HttpStatusCode.Conflict, $"Leg 2 ({m.Anodizing}");
        Assert.Contains("no longer free", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, refused["leg"]!.GetValue<int>());
        Assert.Equal(coatBid, refused["bid"]!.GetValue<long>());

        // Nothing half-applied: the mill's leg, free, was not booked or ordered either; the request stays open.
        Assert.Empty(await m.Mill.Tenant.Viewer.ListAsync("/api/v1/orders"));
        Assert.Single(await m.Coater.Tenant.Viewer.ListAsync("/api/v1/orders"));
        Assert.Equal("accepted", (await m.Mill.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/bids/{millBid}"))["status"]!.GetValue<string>());
        Assert.Equal("open", (await m.Buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{m.Request}"))["status"]!.GetValue<string>());
        Assert.Equal("ready", (await m.Buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/splits/{split.Id()}"))["status"]!.GetValue<string>());
        Assert.Empty((await m.Buyer.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/jobs"))["items"]!.AsArray());

        // A new plan puts the second leg after the rival's booked time, and is awarded.
        var again = await SplitAsync(m.Buyer, m.Request);
        Assert.True(again["legs"]![1]!["startAt"]!.GetValue<DateTimeOffset>() > legTwo, again.ToJsonString());
        foreach (var (party, leg) in new[] { (m.Mill, 0), (m.Coater, 1) })
        {
            await party.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{again["legs"]![leg]!["bidId"]!.GetValue<long>()}/accept", new { }, HttpStatusCode.OK);
        }

        await m.Buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/splits/{again.Id()}/award", new { }, HttpStatusCode.OK);
        Assert.Single(await m.Mill.Tenant.Viewer.ListAsync("/api/v1/orders"));
        Assert.Equal(2, (await m.Coater.Tenant.Viewer.ListAsync("/api/v1/orders")).Count);
    }

    [Fact]
    public async Task Concurrent_awards_of_split_plans_over_the_same_windows_book_every_leg_once()
    {
        await using var m = await MarketAsync();
        var buyers = new List<Party>();
        var splits = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
            buyers.Add(buyer);
            var request = await RequestAsync(buyer, m.Milling, m.Anodizing);
            var split = await SplitAsync(buyer, request);
            await m.Mill.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{split["legs"]![0]!["bidId"]!.GetValue<long>()}/accept", new { }, HttpStatusCode.OK);
            await m.Coater.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{split["legs"]![1]!["bidId"]!.GetValue<long>()}/accept", new { }, HttpStatusCode.OK);
            splits.Add(split.Id());
        }

        // Every plan was quoted the same machine time on both legs.
        var answers = await Task.WhenAll(buyers.Select(async (b, i) =>
        {
            using var response = await b.Tenant.Operator.PostAsync($"/api/v1/sharing/splits/{splits[i]}/award", JsonContent.Create(new { }));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.StatusCode);
            Assert.Contains("no longer free", a.Body, StringComparison.Ordinal);
            Assert.Contains("\"leg\":", a.Body, StringComparison.Ordinal);
        });

        // One order per provider, of the winner; no loser has a job, a booking or a closed request.
        var winner = answers.ToList().FindIndex(a => a.StatusCode == HttpStatusCode.OK);
        Assert.Single(await m.Mill.Tenant.Viewer.ListAsync("/api/v1/orders"));
        Assert.Single(await m.Coater.Tenant.Viewer.ListAsync("/api/v1/orders"));
        Assert.Equal(2, (await m.Mill.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/jobs?role=provider"))["items"]!.AsArray().Count
            + (await m.Coater.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/jobs?role=provider"))["items"]!.AsArray().Count);
        for (var i = 0; i < buyers.Count; i++)
        {
            var open = (await buyers[i].Tenant.Viewer.ListAsync("/api/v1/sharing/requests")).Single()!;
            Assert.Equal(i == winner ? "awarded" : "open", open["status"]!.GetValue<string>());
            Assert.Equal(i == winner ? 2 : 0, (await buyers[i].Tenant.Viewer.GetJsonAsync("/api/v1/sharing/jobs"))["items"]!.AsArray().Count);
        }

        foreach (var b in buyers)
        {
            b.Dispose();
        }
    }

    /// <summary>A mill in Stuttgart and a coater in Munich, each with a process of its own, and a buyer near Stuttgart whose request needs both.</summary>
    private async Task<Market> MarketAsync()
    {
        var milling = "milling-" + Guid.NewGuid().ToString("N")[..8];
        var anodizing = "anodizing-" + Guid.NewGuid().ToString("N")[..8];
        var mill = await Party.CreateAsync(Host, 48.78, 9.18, milling);
        var coater = await Party.CreateAsync(Host, 48.14, 11.58, anodizing);
        var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var millOffer = await mill.OfferAsync(milling, change: o => o["reserveMinutes"] = 0);
        var coatOffer = await coater.OfferAsync(anodizing, change: o => o["reserveMinutes"] = 0);
        return new Market(mill, coater, buyer, milling, anodizing, millOffer.Id(), coatOffer.Id(), await RequestAsync(buyer, milling, anodizing));
    }

    private async Task<long> RequestAsync(Party buyer, string milling, string anodizing) =>
        (await buyer.RequestAsync(milling, Now.AddDays(3), change: r => r["steps"]!.AsArray().Add(
            new JsonObject { ["process"] = anodizing, ["setupMinutes"] = 0, ["unitSeconds"] = 90 }))).Id();

    private static Task<JsonNode> SplitAsync(Party buyer, long request) =>
        buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request}/splits", new { }, HttpStatusCode.Created);

    private static async Task<JsonNode> SingleOrderAsync(Party provider, long bid)
    {
        var order = (await provider.Tenant.Viewer.ListAsync("/api/v1/orders")).Single()!;
        Assert.Equal($"SH-{bid}", order["number"]!.GetValue<string>());
        return await provider.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}");
    }

    private sealed record Market(Party Mill, Party Coater, Party Buyer, string Milling, string Anodizing, long MillOffer, long CoatOffer, long Request) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Mill.Dispose();
            Coater.Dispose();
            Buyer.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    public sealed class OnSqlite(SqliteSharingHost host) : SharingSplitAwardTests(host), IClassFixture<SqliteSharingHost>;

    public sealed class OnPostgres(PostgresSharingHost host) : SharingSplitAwardTests(host), IClassFixture<PostgresSharingHost>;
}
