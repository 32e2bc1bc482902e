using System.Net;
using Millwright.OpcUa.Server;

namespace Millwright.OpcUa.Tests;

/// <summary>
/// The small server of the virtual factory (<see cref="OpcUaServer"/>) against this library's client: a session, Read,
/// a refused Write, Call with a handler and with wrong arguments, and a subscription that reports initial values,
/// changes beyond the deadband only, keep-alives when quiet, and an unknown node refused.
/// </summary>
public sealed class OpcUaServerTests
{
    private static readonly NodeId Speed = new(1, "Speed");
    private static readonly NodeId Count = new(1, "Count");
    private static readonly NodeId Machine = new(1, "Machine");
    private static readonly NodeId Double = new(1, "Machine.Double");

    [Fact]
    public async Task A_client_reads_calls_and_is_refused_a_write_and_a_wrong_argument()
    {
        await using var server = Start();
        server.Space.Set(Speed, Variant.From(1200.5));
        await using var client = await OpcUaClient.ConnectAsync(new OpcUaClientOptions(new Uri(server.Endpoint)));

        var read = await client.ReadAsync([(Speed, AttributeId.Value), (new NodeId(1, "Nothing"), AttributeId.Value), (Speed, AttributeId.BrowseName)]);
        Assert.Equal(1200.5, read[0].Value.Value);
        Assert.Equal(StatusCode.BadNodeIdUnknown, read[1].Status);
        Assert.Equal(StatusCode.BadAttributeIdInvalid, read[2].Status);

        Assert.Equal(StatusCode.BadNotWritable, (await client.WriteAsync([(Speed, Variant.From(1.0))]))[0]);
        var doubled = await client.CallAsync(Machine, Double, [Variant.From(21.0)]);
        Assert.True(doubled.Status.IsGood, doubled.Status.ToString());
        Assert.Equal(42.0, doubled.OutputArguments[0].Value);
        var wrong = await client.CallAsync(Machine, Double, [Variant.From("twenty-one")]);
        Assert.Equal(StatusCode.BadInvalidArgument, wrong.Status);
        Assert.Equal(StatusCode.BadInvalidArgument, wrong.InputArgumentResults[0]);
        Assert.Equal(StatusCode.BadMethodInvalid, (await client.CallAsync(Machine, new NodeId(1, "Machine.Nothing"), [])).Status);
    }

    [Fact]
    public async Task A_subscription_reports_the_initial_value_then_changes_beyond_the_deadband_and_keeps_a_quiet_session_alive()
    {
        await using var server = Start();
        server.Space.Set(Count, Variant.From(0u));
        await using var client = await OpcUaClient.ConnectAsync(new OpcUaClientOptions(new Uri(server.Endpoint)));
        await using var subscription = await client.SubscribeAsync(TimeSpan.FromMilliseconds(50), keepAliveCount: 2);

        var statuses = await subscription.MonitorAsync([
            new MonitoredItemRequest(Count, TimeSpan.FromMilliseconds(50), 10, AbsoluteDeadband: 5),
            new MonitoredItemRequest(new NodeId(1, "Nothing"), TimeSpan.FromMilliseconds(50))]);
        Assert.True(statuses[0].IsGood);
        Assert.Equal(StatusCode.BadNodeIdUnknown, statuses[1]);
        Assert.Equal(0u, (await NextAsync(subscription)).Value.Value.Value);

        // A change of 3 is within the deadband; one of 10 from the last reported value is not.
        server.Space.Set(Count, Variant.From(3u));
        await Task.Delay(200);
        server.Space.Set(Count, Variant.From(10u));
        Assert.Equal(10u, (await NextAsync(subscription)).Value.Value.Value);
        await Eventually.TrueAsync(() => subscription.KeepAlives >= 2, "keep-alives of a quiet subscription");
        Assert.False(subscription.Values.TryRead(out var extra), $"nothing else reported: {extra?.Value}");
    }

    private static OpcUaServer Start()
    {
        var server = new OpcUaServer(new IPEndPoint(IPAddress.Loopback, 0));
        server.Space.AddMethod(Machine, Double, inputs => inputs is [{ Value: double x }]
            ? new MethodOutcome(StatusCode.Good, [Variant.From(x * 2)])
            : new MethodOutcome(StatusCode.BadInvalidArgument, [], [StatusCode.BadInvalidArgument]));
        server.Start();
        return server;
    }

    private static async Task<MonitoredValue> NextAsync(OpcUaSubscription subscription)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await subscription.Values.ReadAsync(patience.Token);
    }
}
