using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Millwright.Features.Production;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Tests.Harness;
using Millwright.Tests.Live;
using Millwright.Tests.Production;

namespace Millwright.Tests.Sharing;

/// <summary>
/// Isolation of a shared job beyond REST (issue 16): while the provider's machine runs the buyer's job, its telemetry
/// reaches the provider's live feed and MQTT watchers and never the buyer's, who cannot subscribe to that machine or
/// the provider's topics either.
/// </summary>
public abstract class SharingFeedIsolationTests(SharingMqttHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task The_telemetry_of_the_machine_running_a_shared_job_reaches_the_provider_and_never_the_buyer_live_or_over_MQTT()
    {
        var process = "lapping-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var credential = await provider.Tenant.Admin.PostJsonAsync($"/api/v1/machines/{provider.MachineId}/credentials", new { }, HttpStatusCode.Created);
        await using var machine = await CommandedMachine.ConnectAsync(Host.MqttPort, provider.Tenant.Slug, provider.MachineName,
            credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), keepAliveSeconds: 0);
        var offer = await provider.OfferAsync(process, change: o => o["reserveMinutes"] = 0);
        var request = await buyer.RequestAsync(process, fixture.Clock.Now.AddDays(2));
        var bid = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
        await provider.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/accept", new { }, HttpStatusCode.OK);
        await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/award", new { }, HttpStatusCode.OK);

        // The booked window begins in 4 h: the job goes to the provider's machine, which runs it.
        fixture.Clock.Advance(TimeSpan.FromHours(4));
        Host.Service<ProductionInbox>().Post(new PlanRequested(provider.Tenant.Id, "test: the booked window begins"));
        var command = await machine.NextAsync("job", Soon);
        await machine.AnswerAsync(command, "accepted");
        await Eventually.ValueAsync(() => buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{bid.Id()}"),
            j => j["status"]!.GetValue<string>() == "in_progress", "the buyer sees its job in progress");

        // Live feed: the buyer cannot subscribe to the provider's machine; the provider can.
        await using var buyerLive = await LiveClient.LoginAsync(Host, buyer.Tenant.ViewerKey);
        await buyerLive.SubscribeAsync("subscribe", machines: [provider.MachineId]);
        // The feed acknowledges the subscription (covering nothing), then answers the foreign id as not found.
        var (refused, acknowledged) = await buyerLive.ReceiveUntilAsync(m => m["error"] is not null);
        Assert.Equal(0, Assert.Single(acknowledged)["covering"]!.GetValue<int>());
        Assert.Equal(provider.MachineId, refused["notFound"]!["machines"]![0]!.GetValue<long>());
        await buyerLive.SubscribeAsync("subscribe", sites: [buyer.SiteId]);
        await buyerLive.ReceiveUntilAsync(m => m["subscriptions"] is not null);
        await using var providerLive = await LiveClient.LoginAsync(Host, provider.Tenant.ViewerKey);
        await providerLive.SubscribeAsync("subscribe", machines: [provider.MachineId]);
        await providerLive.ReceiveUntilAsync(m => m["subscriptions"] is not null);

        // MQTT: the buyer's key may watch its own tenant only; the provider's key watches the machine.
        var buyerSaw = new ConcurrentQueue<string>();
        var providerSaw = new ConcurrentQueue<string>();
        await using var buyerMqtt = await WatchAsync(buyer, buyerSaw);
        await using var providerMqtt = await WatchAsync(provider, providerSaw);
        Assert.Equal([ReasonCode.GrantedQoS1], await buyerMqtt.SubscribeAsync($"mw/{buyer.Tenant.Slug}/#", QualityOfService.AtLeastOnce));
        foreach (var filter in new[] { $"mw/{provider.Tenant.Slug}/#", $"mw/+/{provider.MachineName}/#", "#" })
        {
            Assert.Equal([ReasonCode.NotAuthorized], await buyerMqtt.SubscribeAsync(filter, QualityOfService.AtLeastOnce));
        }

        Assert.Equal([ReasonCode.GrantedQoS1], await providerMqtt.SubscribeAsync($"mw/{provider.Tenant.Slug}/#", QualityOfService.AtLeastOnce));

        // The machine reports while it runs the shared job.
        Assert.Equal(ReasonCode.Success, await machine.ReportRawAsync("""{"values": {"power": 7.25}}"""));
        var (change, _) = await providerLive.ReceiveUntilAsync(m => m["machine"]?.GetValue<long>() == provider.MachineId && m["values"]?["power"] is not null);
        Assert.Equal(7.25, change["values"]!["power"]!.GetValue<double>());
        await Eventually.ValueAsync(() => providerSaw.Any(t => t.Contains("/telemetry ", StringComparison.Ordinal)), seen => seen, "the provider's watcher gets the telemetry");

        // The provider's watchers have it, so the fan-out is done: the buyer's feed, read up to the answer to a
        // request sent now, and its MQTT watcher hold nothing of the provider's machine.
        await buyerLive.SubscribeAsync("unsubscribe", sites: [buyer.SiteId]);
        var (_, before) = await buyerLive.ReceiveUntilAsync(m => m["subscriptions"] is not null);
        Assert.DoesNotContain(before, m => m.ToJsonString().Contains(provider.Marker, StringComparison.Ordinal) || m["machine"]?.GetValue<long>() == provider.MachineId);
        Assert.DoesNotContain(buyerSaw, t => t.Contains(provider.Tenant.Slug, StringComparison.Ordinal) || t.Contains(provider.Marker, StringComparison.Ordinal));
        var followed = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{bid.Id()}");
        Assert.DoesNotContain("7.25", followed.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(provider.MachineName, followed.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>A dashboard watching MQTT with the tenant's viewer key; it records the topic and payload of each message.</summary>
    private async Task<MqttClientConnection> WatchAsync(Party party, ConcurrentQueue<string> seen) =>
        await MqttClientConnection.ConnectAsync(
            new MqttClientOptions("127.0.0.1", Host.MqttPort, $"watch-{party.Marker}") { UserName = "dashboard", Password = party.Tenant.ViewerKey, KeepAliveSeconds = 0 },
            p => seen.Enqueue($"{p.Topic} {Encoding.UTF8.GetString(p.Payload.Span)}"));

    public sealed class OnSqlite(SqliteSharingMqttHost host) : SharingFeedIsolationTests(host), IClassFixture<SqliteSharingMqttHost>;

    public sealed class OnPostgres(PostgresSharingMqttHost host) : SharingFeedIsolationTests(host), IClassFixture<PostgresSharingMqttHost>;
}
