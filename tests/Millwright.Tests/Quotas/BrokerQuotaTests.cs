using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Quotas;

/// <summary>
/// The broker's per-tenant quotas through the real app (the broker keeps its state in memory, so one store is
/// enough): connections, kept sessions, subscriptions per session, retained messages and bytes.
/// </summary>
public sealed class BrokerQuotaTests(SmallQuotaSqliteHost fixture) : IClassFixture<SmallQuotaSqliteHost>
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task The_third_connection_of_a_tenant_is_refused_with_0x97_and_a_3_1_1_client_with_return_code_5()
    {
        using var t = await Host.CreateTenantAsync();
        await using var first = await QuotaMqtt.ConnectAsync(Host, MqttProtocolVersion.V500, "watch", t.ViewerKey);
        await using var second = await QuotaMqtt.ConnectAsync(Host, MqttProtocolVersion.V311, "watch", t.ViewerKey);

        var (v5, refusal) = await QuotaMqtt.TryConnectAsync(Host, MqttProtocolVersion.V500, "watch", t.ViewerKey);
        await using (v5)
        {
            Assert.Equal(ReasonCode.QuotaExceeded, refusal.ReasonCode);
            Assert.Contains("connection quota (2)", refusal.Properties?.ReasonString, StringComparison.Ordinal);
        }

        // 3.1.1 return code 5 (not authorized), which the decoder reads as 0x87.
        var (v311, oldRefusal) = await QuotaMqtt.TryConnectAsync(Host, MqttProtocolVersion.V311, "watch", t.ViewerKey);
        await using (v311)
        {
            Assert.Equal(ReasonCode.NotAuthorized, oldRefusal.ReasonCode);
        }

        // Another tenant is not affected, and a closed connection frees its place.
        using var other = await Host.CreateTenantAsync();
        await using (await QuotaMqtt.ConnectAsync(Host, MqttProtocolVersion.V500, "watch", other.ViewerKey))
        {
        }

        await first.DisposeAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            // The server notices the close on its own read loop; until then the place is still taken.
            var (again, ack) = await QuotaMqtt.TryConnectAsync(Host, MqttProtocolVersion.V500, "watch", t.ViewerKey);
            await again.DisposeAsync();
            if (ack.ReasonCode == ReasonCode.Success)
            {
                break;
            }

            await Task.Delay(20, patience.Token);
        }
    }

    [Fact]
    public async Task A_second_kept_session_is_refused_while_clean_sessions_still_connect()
    {
        using var t = await Host.CreateTenantAsync();
        await using var kept = await QuotaMqtt.ConnectAsync(Host, MqttProtocolVersion.V500, "watch", t.ViewerKey, sessionExpiry: 600);

        var (client, refusal) = await QuotaMqtt.TryConnectAsync(Host, MqttProtocolVersion.V500, "watch", t.ViewerKey, sessionExpiry: 600);
        await using (client)
        {
            Assert.Equal(ReasonCode.QuotaExceeded, refusal.ReasonCode);
            Assert.Contains("persistent session quota (1)", refusal.Properties?.ReasonString, StringComparison.Ordinal);
        }

        await using var clean = await QuotaMqtt.ConnectAsync(Host, MqttProtocolVersion.V500, "watch", t.ViewerKey);
    }

    [Fact]
    public async Task A_session_gets_its_first_two_filters_and_the_third_is_refused_in_the_SUBACK()
    {
        using var t = await Host.CreateTenantAsync();
        await using var watcher = await QuotaMqtt.ConnectAsync(Host, MqttProtocolVersion.V500, "watch", t.ViewerKey);

        var codes = await QuotaMqtt.SubscribeAsync(watcher, $"mw/{t.Slug}/#", $"mw/{t.Slug}/+/telemetry", $"mw/{t.Slug}/+/state");

        Assert.Equal([ReasonCode.GrantedQoS1, ReasonCode.GrantedQoS1, ReasonCode.QuotaExceeded], codes);

        // Subscribing again to a filter the session holds replaces it and is not a new one.
        Assert.Equal([ReasonCode.GrantedQoS1], await QuotaMqtt.SubscribeAsync(watcher, $"mw/{t.Slug}/#"));
    }

    [Fact]
    public async Task Retained_messages_stop_at_the_message_and_byte_quotas_and_clearing_one_makes_room()
    {
        using var t = await Host.CreateTenantAsync();
        await using var op = await QuotaMqtt.ConnectAsync(Host, MqttProtocolVersion.V500, "op", t.OperatorKey);
        string Topic(string device) => $"mw/{t.Slug}/{device}/cmd";

        Assert.Equal(ReasonCode.Success, (await QuotaMqtt.PublishAsync(op, Topic("a"), "1", retain: true)).ReasonCode);
        Assert.Equal(ReasonCode.Success, (await QuotaMqtt.PublishAsync(op, Topic("b"), "2", retain: true)).ReasonCode);
        var third = await QuotaMqtt.PublishAsync(op, Topic("c"), "3", retain: true);
        Assert.Equal(ReasonCode.QuotaExceeded, third.ReasonCode);
        Assert.Contains("retained message quota (2)", third.Properties?.ReasonString, StringComparison.Ordinal);

        // Replacing a retained topic is no new one; clearing one (empty payload) makes room.
        Assert.Equal(ReasonCode.Success, (await QuotaMqtt.PublishAsync(op, Topic("a"), "11", retain: true)).ReasonCode);
        Assert.Equal(ReasonCode.Success, (await QuotaMqtt.PublishAsync(op, Topic("b"), "", retain: true)).ReasonCode);
        var big = await QuotaMqtt.PublishAsync(op, Topic("c"), new string('x', 99), retain: true);
        Assert.Equal(ReasonCode.QuotaExceeded, big.ReasonCode);
        Assert.Contains("retained bytes quota (100 bytes)", big.Properties?.ReasonString, StringComparison.Ordinal);
        Assert.Equal(ReasonCode.Success, (await QuotaMqtt.PublishAsync(op, Topic("c"), new string('x', 98), retain: true)).ReasonCode);

        var usage = Host.Service<Millwright.Mqtt.Server.MqttServer>().UsageOf(Millwright.Features.Quotas.QuotaAccounts.Of(t.Id));
        Assert.Equal(2, usage?.RetainedMessages);
        Assert.Equal(100, usage?.RetainedBytes);
    }
}
