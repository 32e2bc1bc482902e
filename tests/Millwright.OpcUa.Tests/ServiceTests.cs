using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa.Tests;

/// <summary>Every service of the client against a real peer: node-opcua's server (tests/peers/opcua_server.js).</summary>
public sealed class ServiceTests(NodeOpcUaServer server) : IClassFixture<NodeOpcUaServer>
{
    private NodeId Machine => server.Node("Machine");


    [Fact]
    public async Task Reading_every_built_in_scalar_gives_its_type_and_value()
    {
        await using var client = await server.ConnectAsync();
        string[] names = ["Boolean", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64", "Float", "Double", "String",
            "DateTime", "Guid", "ByteString", "NodeId", "StatusCode", "QualifiedName", "LocalizedText"];

        var values = await client.ReadValuesAsync([.. names.Select(n => server.Node($"Scalar.{n}"))]);

        Assert.All(values, v => Assert.True(v.Status.IsGood, v.Status.ToString()));
        var byName = names.Zip(values, (n, v) => (n, v.Value)).ToDictionary(p => p.n, p => p.Value);
        Assert.Equal(true, byName["Boolean"].Value);
        Assert.Equal((sbyte)-5, byName["SByte"].Value);
        Assert.Equal((byte)200, byName["Byte"].Value);
        Assert.Equal((short)-1234, byName["Int16"].Value);
        Assert.Equal((ushort)54321, byName["UInt16"].Value);
        Assert.Equal(-123456, byName["Int32"].Value);
        Assert.Equal(4_000_000_000u, byName["UInt32"].Value);
        Assert.Equal(-2L, byName["Int64"].Value);
        Assert.Equal((1UL << 32) + 5, byName["UInt64"].Value);
        Assert.Equal(1.5f, byName["Float"].Value);
        Assert.Equal(3.25, byName["Double"].Value);
        Assert.Equal("Grüße from OPC UA", byName["String"].Value);
        Assert.Equal(new DateTime(2026, 12, 6, 1, 2, 3, DateTimeKind.Utc), byName["DateTime"].Value);
        Assert.Equal(Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63"), byName["Guid"].Value);
        Assert.Equal(new byte[] { 1, 2, 3, 250 }, byName["ByteString"].Value);
        Assert.Equal(Machine, byName["NodeId"].Value);
        Assert.Equal(new StatusCode(0x803A0000), byName["StatusCode"].Value);
        Assert.Equal(new QualifiedName(1, "Spindle"), byName["QualifiedName"].Value);
        Assert.Equal(new LocalizedText("en", "Mill 7"), byName["LocalizedText"].Value);
    }

    [Fact]
    public async Task Arrays_and_a_matrix_keep_their_elements_and_dimensions()
    {
        await using var client = await server.ConnectAsync();

        var values = await client.ReadValuesAsync([.. new[] { "Int32", "Double", "String", "Boolean", "Matrix" }.Select(n => server.Node($"Array.{n}"))]);

        Assert.Equal(new[] { 1, -2, 3 }, values[0].Value.Value);
        Assert.Equal(new[] { 0.5, 1.5 }, values[1].Value.Value);
        Assert.Equal(new[] { "a", "b", "c" }, values[2].Value.Value);
        Assert.Equal(new[] { true, false }, values[3].Value.Value);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, values[4].Value.Value);
        Assert.Equal(new[] { 2, 3 }, values[4].Value.Dimensions);
        Assert.Equal("[1, -2, 3]", values[0].Value.ToString());
    }

    [Fact]
    public async Task An_unknown_node_reads_as_BadNodeIdUnknown_without_failing_the_others()
    {
        await using var client = await server.ConnectAsync();

        var values = await client.ReadValuesAsync([server.Node("NoSuchNode"), server.Node("Setpoint")]);

        Assert.Equal(StatusCode.BadNodeIdUnknown, values[0].Status);
        Assert.True(values[1].Status.IsGood);
    }

    [Fact]
    public async Task Browsing_the_objects_folder_finds_the_machine_and_its_parts()
    {
        await using var client = await server.ConnectAsync();

        var objects = await client.BrowseAllAsync(WellKnownNodes.ObjectsFolder);
        var machine = await client.BrowseAllAsync(Machine);

        var found = Assert.Single(objects, r => r.BrowseName.Name == "Machine");
        Assert.Equal(NodeClass.Object, found.NodeClass);
        Assert.Equal(Machine, found.NodeId.NodeId);
        Assert.Contains(machine, r => r is { BrowseName.Name: "Speed", NodeClass: NodeClass.Variable });
        Assert.Contains(machine, r => r is { BrowseName.Name: "Multiply", NodeClass: NodeClass.Method });
    }

    [Fact]
    public async Task A_browse_limited_to_few_references_continues_with_BrowseNext_until_all_are_seen()
    {
        await using var client = await server.ConnectAsync();

        var first = await client.BrowseAsync(server.Node("Many"), maxReferences: 7);
        var all = await client.BrowseAllAsync(server.Node("Many"), maxReferencesPerCall: 7);

        Assert.Equal(7, first.References.Count);
        Assert.NotNull(first.ContinuationPoint);
        Assert.Equal(60, all.Count(r => r.BrowseName.Name!.StartsWith("Item", StringComparison.Ordinal)));
        Assert.Equal(60, all.Select(r => r.NodeId).Distinct().Count(r => r.NodeId.Text!.StartsWith("Many.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_browse_path_translates_to_the_node_id_and_a_wrong_one_says_no_match()
    {
        await using var client = await server.ConnectAsync();

        var results = await client.TranslateAsync([
            (WellKnownNodes.ObjectsFolder, [new QualifiedName(server.Ns, "Machine"), new QualifiedName(server.Ns, "Speed")]),
            (WellKnownNodes.ObjectsFolder, [new QualifiedName(server.Ns, "Machine"), new QualifiedName(server.Ns, "Nothing")]),
        ]);

        Assert.Equal(server.Node("Speed"), Assert.Single(results[0].Targets).TargetId.NodeId);
        Assert.True(results[1].Status.IsBad);
    }

    [Fact]
    public async Task A_write_changes_the_value_and_a_read_only_node_refuses_it()
    {
        await using var client = await server.ConnectAsync();

        var statuses = await client.WriteAsync([(server.Node("Setpoint"), Variant.From(42.5)), (server.Node("ReadOnly"), Variant.From(1.0))]);
        var back = await client.ReadValuesAsync([server.Node("Setpoint")]);

        Assert.True(statuses[0].IsGood);
        Assert.True(statuses[1].IsBad);
        Assert.Equal(42.5, back[0].Value.Value);
    }

    [Fact]
    public async Task Calling_a_method_returns_its_outputs_and_bad_arguments_are_refused()
    {
        await using var client = await server.ConnectAsync();

        var product = await client.CallAsync(Machine, server.Node("Multiply"), [Variant.From(6.0), Variant.From(7.0)]);
        var job = await client.CallAsync(Machine, server.Node("StartJob"), [Variant.From("J-1"), Variant.From(5u)]);
        var wrong = await client.CallAsync(Machine, server.Node("Multiply"), [Variant.From("six")]);

        Assert.Equal(42.0, Assert.Single(product.OutputArguments).Value);
        Assert.Equal(true, Assert.Single(job.OutputArguments).Value);
        Assert.True(wrong.Status.IsBad);
    }

    [Fact]
    public async Task A_user_name_session_works_and_a_wrong_password_is_refused()
    {
        await using (var client = await server.ConnectAsync("operator", "secret"))
        {
            Assert.True((await client.ReadValuesAsync([server.Node("Setpoint")]))[0].Status.IsGood);
        }

        var refused = await Assert.ThrowsAsync<OpcUaProtocolException>(() => server.ConnectAsync("operator", "wrong"));
        Assert.True(refused.Status.IsBad);
    }

    [Fact]
    public async Task A_large_value_travels_in_chunks_both_ways()
    {
        // 8 KiB buffers: the 100,000-character request and response each take many chunks.
        await using var client = await server.ConnectAsync(limits: new TransportLimits(ReceiveBufferSize: 8192, SendBufferSize: 8192));
        var text = LongText(100_000);

        var written = await client.WriteAsync([(server.Node("Text"), Variant.From(text))]);
        var back = await client.ReadValuesAsync([server.Node("Text")]);

        Assert.True(written[0].IsGood, written[0].ToString());
        Assert.Equal(text, back[0].Value.Value);
    }

    [Fact]
    public async Task A_response_above_the_clients_message_size_limit_fails_with_the_protocol_exception()
    {
        await using (var writer = await server.ConnectAsync())
        {
            Assert.True((await writer.WriteAsync([(server.Node("Text"), Variant.From(LongText(40_000)))]))[0].IsGood);
        }

        await using var client = await server.ConnectAsync(limits: new TransportLimits(ReceiveBufferSize: 8192, MaxMessageSize: 16384));
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ReadValuesAsync([server.Node("Text")]));

        Assert.True(error.Status.IsBad);
    }

    [Fact]
    public async Task A_subscription_delivers_the_changing_counter_in_order_and_refuses_an_unknown_node()
    {
        await using var client = await server.ConnectAsync();
        await using var subscription = await client.SubscribeAsync(TimeSpan.FromMilliseconds(100));

        var statuses = await subscription.MonitorAsync([
            new MonitoredItemRequest(server.Node("Counter"), TimeSpan.FromMilliseconds(50), QueueSize: 10),
            new MonitoredItemRequest(server.Node("NoSuchNode"), TimeSpan.FromMilliseconds(50)),
        ]);
        var seen = await TakeAsync(subscription, 5);

        Assert.True(statuses[0].IsGood, statuses[0].ToString());
        Assert.Equal(StatusCode.BadNodeIdUnknown, statuses[1]);
        Assert.All(seen, v => Assert.Equal(server.Node("Counter"), v.Node));
        var counts = seen.Select(v => (uint)v.Value.Value.Value!).ToList();
        Assert.Equal(counts.Order(), counts);
        Assert.Equal(counts.Count, counts.Distinct().Count());
    }

    [Fact]
    public async Task An_absolute_deadband_holds_back_changes_not_larger_than_it()
    {
        await using var client = await server.ConnectAsync();
        await using var subscription = await client.SubscribeAsync(TimeSpan.FromMilliseconds(100));

        await subscription.MonitorAsync([new MonitoredItemRequest(server.Node("Counter"), TimeSpan.FromMilliseconds(50), QueueSize: 10, AbsoluteDeadband: 5)]);
        var counts = (await TakeAsync(subscription, 4)).Select(v => (long)(uint)v.Value.Value.Value!).ToList();

        Assert.All(counts.Zip(counts.Skip(1)), pair => Assert.True(pair.Second - pair.First > 5, string.Join(", ", counts)));
    }

    [Fact]
    public async Task A_quiet_subscription_is_kept_alive()
    {
        await using var client = await server.ConnectAsync();
        await using var subscription = await client.SubscribeAsync(TimeSpan.FromMilliseconds(100), keepAliveCount: 2);

        await subscription.MonitorAsync([new MonitoredItemRequest(server.Node("ReadOnly"), TimeSpan.FromMilliseconds(100))]);
        var first = await TakeAsync(subscription, 1);

        Assert.Equal(7.0, first[0].Value.Value.Value);
        await Eventually.TrueAsync(() => subscription.KeepAlives >= 2, "two keep-alives of a subscription with nothing to report");
    }

    private static async Task<List<MonitoredValue>> TakeAsync(OpcUaSubscription subscription, int count)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var values = new List<MonitoredValue>();
        while (values.Count < count)
        {
            values.Add(await subscription.Values.ReadAsync(patience.Token));
        }

        return values;
    }

    private static string LongText(int length) =>
        string.Concat(Enumerable.Range(0, length / 10).Select(i => (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture) + "abcdefghi"));
}
