using System.Net;
using System.Text.Json.Nodes;
using Millwright.Features.Production;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Sharing;

/// <summary>
/// A shared job after its award (docs/sharing.md, "Execution"): withdrawing the offer stops new matches but not the
/// awarded work; the provider's dispatcher waits for the booked window, the provider's machine runs it, the provider
/// records shipments and deliveries the buyer follows, and the completion leaves an invoice-ready record on each
/// side, which only that side can read.
/// </summary>
public abstract class SharingExecutionTests(SharingMqttHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    private TestHost Host => fixture.Host;

    private ManualClock Clock => fixture.Clock;

    [Fact]
    public async Task A_shared_job_waits_for_its_window_runs_ships_and_leaves_an_invoice_ready_record_on_each_side_only()
    {
        var process = "hobbing-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        using var stranger = await Party.CreateAsync(Host, 48.70, 9.20);
        var credential = await provider.Tenant.Admin.PostJsonAsync($"/api/v1/machines/{provider.MachineId}/credentials", new { }, HttpStatusCode.Created);
        await using var machine = await CommandedMachine.ConnectAsync(Host.MqttPort, provider.Tenant.Slug, provider.MachineName,
            credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), keepAliveSeconds: 0);

        // 20 min setup + 10 × 60 s, booked from 4 h (after the answer deadline) to 4 h 30 min from now.
        var offer = await provider.OfferAsync(process, change: o => o["reserveMinutes"] = 0);
        var request = await buyer.RequestAsync(process, Clock.Now.AddDays(2), quantity: 10, unitSeconds: 60);
        var bid = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
        await provider.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/counter", new { price = 321.5 }, HttpStatusCode.OK);
        await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/award", new { }, HttpStatusCode.OK);
        var bookedFrom = Clock.Now.AddHours(4);
        var order = (await provider.Tenant.Viewer.ListAsync("/api/v1/orders")).Single(o => o!["number"]!.GetValue<string>() == $"SH-{bid.Id()}")!;
        await Eventually.ValueAsync(() => JobAsync(provider, order.Id()), j => j["plannedStart"] is not null, "the shared job planned");

        // The provider withdraws the offer: no new match or bid, but the awarded job goes on.
        await provider.Tenant.Admin.PostJsonAsync($"/api/v1/sharing/offers/{offer.Id()}/cancel", new { }, HttpStatusCode.OK);
        var again = await buyer.RequestAsync(process, Clock.Now.AddDays(2));
        Assert.Empty((await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{again.Id()}/candidates"))["candidates"]!.AsArray());
        await buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/requests/{again.Id()}/bids", new { offerId = offer.Id() },
            HttpStatusCode.BadRequest, "no active offer");

        // Ten minutes before the window the machine is free, yet the dispatcher keeps the job for its booked time:
        // two planner rounds later (the second begins only after the first has dispatched) it is still waiting.
        Clock.Advance(TimeSpan.FromMinutes((4 * 60) - 10));
        await PlannerRoundsAsync(provider, 2);
        var waiting = await JobAsync(provider, order.Id());
        Assert.Equal("waiting", waiting["status"]!.GetValue<string>());
        Assert.Equal(bookedFrom, waiting["plannedStart"]!.GetValue<DateTimeOffset>());
        Assert.DoesNotContain(machine.Commands, c => c["type"]?.GetValue<string>() == "job");

        // At the window's start it is sent; the machine runs it for half an hour and reports 10 good and 1 scrap.
        Clock.Advance(TimeSpan.FromMinutes(10));
        await PlannerRoundsAsync(provider, 1);
        var command = await machine.NextAsync("job", Soon);
        Assert.Equal(waiting.Id(), command["jobId"]!.GetValue<long>());
        await machine.AnswerAsync(command, "accepted");
        await Eventually.ValueAsync(() => JobAsync(provider, order.Id()), j => j["status"]!.GetValue<string>() == "running", "the shared job running");
        Clock.Advance(TimeSpan.FromMinutes(30));
        await machine.AnswerRawAsync($$"""{"commandId": "{{command["commandId"]!.GetValue<string>()}}", "jobId": {{command["jobId"]}}, "status": "completed", "good": 10, "scrap": 1}""");
        var followed = await Eventually.ValueAsync(() => buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{bid.Id()}"),
            j => j["status"]!.GetValue<string>() == "completed", "the buyer sees the job completed");
        Assert.Equal(10, followed["good"]!.GetValue<long>());
        Assert.Equal(1, followed["scrap"]!.GetValue<long>());

        // Delivery events: the provider's, within what was made and shipped; the buyer only reads them.
        var deliveries = $"/api/v1/sharing/jobs/{bid.Id()}/deliveries";
        await provider.Tenant.Operator.PostJsonAsync(deliveries, new { kind = "shipped", quantity = 6, reference = "DHL 00340434" }, HttpStatusCode.Created);
        await buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, deliveries, new { kind = "delivered", quantity = 6 }, HttpStatusCode.Forbidden, "Only the provider");
        await provider.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, deliveries, new { kind = "shipped", quantity = 5 }, HttpStatusCode.BadRequest, "more than were made");
        await provider.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, deliveries, new { kind = "delivered", quantity = 7 }, HttpStatusCode.BadRequest, "more than were shipped");
        await provider.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, deliveries, new { kind = "lost", quantity = 1 }, HttpStatusCode.BadRequest, "kind");
        await provider.Tenant.Operator.PostJsonAsync(deliveries, new { kind = "shipped", quantity = 4 }, HttpStatusCode.Created);
        await provider.Tenant.Operator.PostJsonAsync(deliveries, new { kind = "delivered", quantity = 10, reference = "signed by goods-in" }, HttpStatusCode.Created);
        var seen = (await buyer.Tenant.Viewer.GetJsonAsync(deliveries)).AsArray();
        Assert.Equal(new[] { "shipped:6", "shipped:4", "delivered:10" }, seen.Select(d => $"{d!["kind"]}:{d["quantity"]}"));
        Assert.Equal("DHL 00340434", seen[0]!["reference"]!.GetValue<string>());
        followed = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{bid.Id()}");
        Assert.Equal((10, 10), (followed["shipped"]!.GetValue<long>(), followed["delivered"]!.GetValue<long>()));

        // Invoice-ready records: one per side, the counter price agreed, 0.5 machine hours, each side's own.
        var receivable = (await provider.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/invoices"))["items"]!.AsArray().Single()!;
        var payable = (await buyer.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/invoices"))["items"]!.AsArray().Single()!;
        Assert.Equal(("receivable", "payable"), (receivable["side"]!.GetValue<string>(), payable["side"]!.GetValue<string>()));
        foreach (var record in new[] { receivable, payable })
        {
            Assert.Equal(bid.Id(), record["jobId"]!.GetValue<long>());
            Assert.Equal((10L, 10L, 1L), (record["quantity"]!.GetValue<long>(), record["good"]!.GetValue<long>(), record["scrap"]!.GetValue<long>()));
            Assert.Equal(321.5, record["price"]!.GetValue<double>());
            Assert.Equal(321.5, record["amount"]!.GetValue<double>());
            Assert.Equal(0.5, record["hours"]!.GetValue<double>(), 3);
            Assert.Equal(0.5, record["quotedHours"]!.GetValue<double>(), 3);
            Assert.True(record["onTime"]!.GetValue<bool>());
            Assert.DoesNotContain(provider.MachineName, record.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Equal(NameOf(buyer), receivable["counterpart"]!.GetValue<string>());
        Assert.Equal(NameOf(provider), payable["counterpart"]!.GetValue<string>());

        // Isolation: neither side reads the other's record; a stranger reads neither, nor the job's deliveries.
        await provider.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/invoices/{payable.Id()}", HttpStatusCode.NotFound);
        await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/invoices/{receivable.Id()}", HttpStatusCode.NotFound);
        Assert.Empty((await stranger.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/invoices"))["items"]!.AsArray());
        await stranger.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/invoices/{payable.Id()}", HttpStatusCode.NotFound);
        await stranger.Tenant.Viewer.GetJsonAsync(deliveries, HttpStatusCode.NotFound);
        await stranger.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, deliveries, new { kind = "shipped", quantity = 1 }, HttpStatusCode.NotFound, "shared job");

        // Every step in both audit logs.
        foreach (var log in new[] { await buyer.AuditSummariesAsync(), await provider.AuditSummariesAsync() })
        {
            Assert.Equal(2, log.Count(e => e.StartsWith("ship sharing_bid", StringComparison.Ordinal)));
            Assert.Single(log, e => e.StartsWith("deliver sharing_bid", StringComparison.Ordinal));
            Assert.Single(log, e => e.StartsWith("invoice sharing_bid", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(await buyer.AuditSummariesAsync(), e => e.Contains(provider.MachineName, StringComparison.Ordinal));
    }

    /// <summary>Asks the provider's planner for <paramref name="rounds"/> plans, one after the other, and waits for each.</summary>
    private async Task PlannerRoundsAsync(Party party, int rounds)
    {
        var planner = Host.Service<ProductionPlanner>();
        for (var i = 0; i < rounds; i++)
        {
            var before = planner.Plans;
            Host.Service<ProductionInbox>().Post(new PlanRequested(party.Tenant.Id, "test round"));
            await Eventually.ValueAsync(() => planner.Plans, n => n > before, "a planner round");
        }
    }

    /// <summary>The tenant's name, as the test host makes it.</summary>
    private static string NameOf(Party party) => $"Tenant {party.Tenant.Slug}";

    private static async Task<JsonNode> JobAsync(Party party, long orderId) =>
        (await party.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{orderId}"))["jobs"]!.AsArray().Single()!;

    public sealed class OnSqlite(SqliteSharingMqttHost host) : SharingExecutionTests(host), IClassFixture<SqliteSharingMqttHost>;

    public sealed class OnPostgres(PostgresSharingMqttHost host) : SharingExecutionTests(host), IClassFixture<PostgresSharingMqttHost>;
}
