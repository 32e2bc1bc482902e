using System.Net;
using System.Text;
using Dapper;
using Millwright.Bench.Cluster;
using Millwright.Features.ClusterBridge;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Testing;
using Millwright.Tests.Harness;
using Npgsql;
using RabbitMQ.Client;

namespace Millwright.Tests.Cluster;

/// <summary>
/// Persistent MQTT sessions kept by the cluster (PostgreSQL and the private RabbitMQ): a client that resumes its session
/// on another node, also after its node was killed, finds its subscriptions and the QoS 1 messages published meanwhile
/// on any node; a takeover closes the old connection; a clean start drops the session; one tenant's client id does not
/// reach another tenant's session.
/// </summary>
public sealed class PersistentSessionClusterTests
{
    private const uint Expiry = 300;

    [Fact]
    public async Task A_session_resumed_on_another_node_has_its_subscriptions_and_the_QoS_1_messages_published_meanwhile_in_order()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        try
        {
            var plant = await PlantAsync(a, database);
            var filter = $"mw/{plant.Slug}/+/cmd";
            var topic = $"mw/{plant.Slug}/{plant.MachineName}/cmd";

            // A dashboard subscribes on node a with a session kept for five minutes, then goes away.
            await using (var dashboard = await ConnectAsync(a.MqttPort, plant.OperatorKey, "dashboard", cleanStart: true, Expiry, expectPresent: false))
            {
                Assert.Equal([ReasonCode.GrantedQoS1], await SubscribeAsync(dashboard, filter, QualityOfService.ExactlyOnce));
                await dashboard.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            }

            await Eventually.TrueAsync(() => IsAwayAsync(database.ConnectionString, name), "the session to be released by node a");

            // Meanwhile an MES publishes five commands on node b and one on node a.
            await AwaitBridgesAsync(a, b);
            await using (var mes = await ClusterMqtt.ConnectAsync(b.MqttPort, "operator", plant.OperatorKey))
            {
                for (ushort i = 1; i <= 5; i++)
                {
                    await PublishAsync(mes, topic, i, $"m{i}");
                }
            }

            // Two publishers' messages keep each one's order, not an order between them: m6 follows once m1-m5 are queued.
            var queue = await QueueAsync(database.ConnectionString, name);
            await Eventually.TrueAsync(async () => await QueueLengthAsync(queue!) == 5, "m1 to m5 to be queued for the session");
            await using (var mes = await ClusterMqtt.ConnectAsync(a.MqttPort, "operator", plant.OperatorKey))
            {
                await PublishAsync(mes, topic, 6, "m6");
            }

            // The dashboard resumes on node b: session present, and every message in order, QoS 1, with no new SUBSCRIBE.
            await using var resumed = await ConnectAsync(b.MqttPort, plant.OperatorKey, "dashboard", cleanStart: false, Expiry, expectPresent: true);
            Assert.Equal(["m1", "m2", "m3", "m4", "m5", "m6"], await ReceiveAsync(resumed, 6));

            // Its subscription is live on node b too: a command published on node a now reaches it.
            await using (var mes = await ClusterMqtt.ConnectAsync(a.MqttPort, "operator", plant.OperatorKey))
            {
                await PublishAsync(mes, topic, 7, "m7");
            }

            Assert.Equal(["m7"], await ReceiveAsync(resumed, 1));
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }

    [Fact]
    public async Task A_session_whose_node_was_killed_resumes_on_another_with_the_unacknowledged_message_and_those_published_after()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        var directory = Directory.CreateTempSubdirectory("mw-session-kill-").FullName;
        try
        {
            await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
            var plant = await PlantAsync(b, database);
            var topic = $"mw/{plant.Slug}/{plant.MachineName}/cmd";

            // Node a is a process of its own, so that killing it is a real kill -9: no shutdown code runs.
            await using var a = await NodeProcess.StartAsync(0, name, database.ConnectionString, TestRabbitMq.Uri, directory, CancellationToken.None);
            var dashboard = await ConnectAsync(a.MqttPort, plant.OperatorKey, "dashboard", cleanStart: true, Expiry, expectPresent: false);
            Assert.Equal([ReasonCode.GrantedQoS1], await SubscribeAsync(dashboard, topic, QualityOfService.AtLeastOnce));

            // m0 reaches the dashboard on node a, which dies before the dashboard acknowledges it.
            await AwaitBridgesAsync(b);
            await using var mes = await ClusterMqtt.ConnectAsync(b.MqttPort, "operator", plant.OperatorKey);
            await PublishAsync(mes, topic, 1, "m0");
            var first = Assert.IsType<PublishPacket>(await dashboard.ReceiveAsync());
            Assert.Equal("m0", Encoding.UTF8.GetString(first.Payload.Span));
            a.Kill();
            await dashboard.DisposeAsync();

            for (ushort i = 1; i <= 3; i++)
            {
                await PublishAsync(mes, topic, (ushort)(i + 1), $"m{i}");
            }

            // On node b: session present, m0 again (it was never acknowledged), then m1 to m3 in order.
            await using var resumed = await ConnectAsync(b.MqttPort, plant.OperatorKey, "dashboard", cleanStart: false, Expiry, expectPresent: true);
            Assert.Equal(["m0", "m1", "m2", "m3"], await ReceiveAsync(resumed, 4));
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task QoS_1_messages_acknowledged_to_their_publisher_reach_a_kept_session_even_when_the_node_of_both_dies_right_after()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        var directory = Directory.CreateTempSubdirectory("mw-session-confirm-").FullName;
        try
        {
            await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
            var plant = await PlantAsync(b, database);
            var topic = $"mw/{plant.Slug}/{plant.MachineName}/cmd";
            await using var a = await NodeProcess.StartAsync(0, name, database.ConnectionString, TestRabbitMq.Uri, directory, CancellationToken.None);

            // The dashboard holds its session on node a and reads nothing: what reaches it stays unacknowledged.
            var dashboard = await ConnectAsync(a.MqttPort, plant.OperatorKey, "dashboard", cleanStart: true, Expiry, expectPresent: false);
            Assert.Equal([ReasonCode.GrantedQoS1], await SubscribeAsync(dashboard, topic, QualityOfService.AtLeastOnce));

            // Node a's bridge is linked once a probe published there reaches a subscriber on node b.
            await using var mes = await ClusterMqtt.ConnectAsync(a.MqttPort, "operator", plant.OperatorKey);
            await using (var watcher = await ClusterMqtt.ConnectAsync(b.MqttPort, "operator", plant.OperatorKey))
            {
                var probe = $"mw/{plant.Slug}/probe/cmd";
                await SubscribeAsync(watcher, probe, QualityOfService.AtMostOnce);
                await AwaitBridgesAsync(b);
                ushort id = 100;
                Task<MqttPacket?>? heard = null;
                await Eventually.TrueAsync(async () =>
                {
                    await PublishAsync(mes, probe, ++id, "probe");
                    heard ??= watcher.ReceiveAsync();
                    return await Task.WhenAny(heard, Task.Delay(TimeSpan.FromMilliseconds(500))) == heard && await heard is PublishPacket;
                }, "node a's bridge to be linked");
            }

            // Fifty commands sent at once, all acknowledged; node a dies the moment the last PUBACK is in.
            const int Count = 50;
            for (ushort i = 1; i <= Count; i++)
            {
                await mes.SendAsync(new PublishPacket { Topic = topic, QoS = QualityOfService.AtLeastOnce, PacketId = i, Payload = Encoding.UTF8.GetBytes($"m{i}") });
            }

            for (var i = 0; i < Count; i++)
            {
                Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await mes.ReceiveAsync()).ReasonCode);
            }

            a.Kill();
            await dashboard.DisposeAsync();

            // Resumed on node b: every acknowledged command is there.
            await using var resumed = await ConnectAsync(b.MqttPort, plant.OperatorKey, "dashboard", cleanStart: false, Expiry, expectPresent: true);
            var received = new HashSet<string>(StringComparer.Ordinal);
            while (received.Count < Count)
            {
                received.UnionWith(await ReceiveAsync(resumed, 1));
            }

            Assert.Equal(Enumerable.Range(1, Count).Select(i => $"m{i}").Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_kept_sessions_No_Local_subscription_does_not_get_its_own_messages_back_through_its_queue()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        try
        {
            var plant = await PlantAsync(a, database);
            var topic = $"mw/{plant.Slug}/{plant.MachineName}/cmd";
            await using var integration = await ConnectAsync(a.MqttPort, plant.OperatorKey, "integration", cleanStart: true, Expiry, expectPresent: false);
            await integration.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription(topic, QualityOfService.AtLeastOnce, NoLocal: true)] });
            Assert.Equal([ReasonCode.GrantedQoS1], Assert.IsType<SubAckPacket>(await integration.ReceiveAsync()).ReasonCodes);

            // Its own command goes through its queue first, then another client's: only the other's reaches it.
            await AwaitBridgesAsync(a);
            await PublishAsync(integration, topic, 2, "its own");
            await using (var mes = await ClusterMqtt.ConnectAsync(a.MqttPort, "operator", plant.OperatorKey))
            {
                await PublishAsync(mes, topic, 1, "the MES's");
            }

            Assert.Equal(["the MES's"], await ReceiveAsync(integration, 1));
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }

    [Fact]
    public async Task Resuming_on_another_node_takes_the_session_over_and_closes_the_old_connection_with_0x8E()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        try
        {
            var plant = await PlantAsync(a, database);
            var topic = $"mw/{plant.Slug}/{plant.MachineName}/cmd";
            await using var old = await ConnectAsync(a.MqttPort, plant.OperatorKey, "integration", cleanStart: true, Expiry, expectPresent: false);
            await SubscribeAsync(old, topic, QualityOfService.AtLeastOnce);

            await using var taker = await ConnectAsync(b.MqttPort, plant.OperatorKey, "integration", cleanStart: false, Expiry, expectPresent: true);
            var goodbye = Assert.IsType<DisconnectPacket>(await old.ReceiveAsync());
            Assert.Equal(ReasonCode.SessionTakenOver, goodbye.ReasonCode);
            Assert.Null(await old.ReceiveAsync());

            // The new connection holds the subscription and gets what is published next, on either node.
            await AwaitBridgesAsync(a, b);
            await using var mes = await ClusterMqtt.ConnectAsync(a.MqttPort, "operator", plant.OperatorKey);
            await PublishAsync(mes, topic, 1, "after");
            Assert.Equal(["after"], await ReceiveAsync(taker, 1));
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            Assert.Equal("node-b", await connection.QuerySingleAsync<string>("SELECT node FROM mqtt_sessions WHERE cluster = @name", new { name }));
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }

    [Fact]
    public async Task A_clean_start_drops_the_stored_session_and_its_queue_and_session_expiry_zero_deletes_it()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        try
        {
            var plant = await PlantAsync(a, database);
            var topic = $"mw/{plant.Slug}/{plant.MachineName}/cmd";
            await using (var first = await ConnectAsync(a.MqttPort, plant.OperatorKey, "integration", cleanStart: true, Expiry, expectPresent: false))
            {
                await SubscribeAsync(first, topic, QualityOfService.AtLeastOnce);
                await first.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            }

            await Eventually.TrueAsync(() => IsAwayAsync(database.ConnectionString, name), "the session to be released");
            var oldQueue = await QueueAsync(database.ConnectionString, name);
            await AwaitBridgesAsync(b);
            await using (var mes = await ClusterMqtt.ConnectAsync(b.MqttPort, "operator", plant.OperatorKey))
            {
                await PublishAsync(mes, topic, 1, "kept for the old session");
            }

            // A clean start on node b: no session present, a new queue, the old one (with its message) deleted.
            await using (var fresh = await ConnectAsync(b.MqttPort, plant.OperatorKey, "integration", cleanStart: true, Expiry, expectPresent: false))
            {
                var newQueue = await QueueAsync(database.ConnectionString, name);
                Assert.NotEqual(oldQueue, newQueue);
                // The old queue goes in the background, so that no CONNECT waits for (or fails over) its deletion.
                await Eventually.TrueAsync(async () => !await QueueExistsAsync(oldQueue!), "the old session's queue to be deleted");
                Assert.True(await QueueExistsAsync(newQueue!));
                Assert.Equal("[]", await SubscriptionsAsync(database.ConnectionString, name));

                // Ending the connection with session expiry 0 (5.0 DISCONNECT) ends the session: row and queue go.
                await fresh.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success, Properties = new MqttProperties { SessionExpiryInterval = 0 } });
                await Eventually.TrueAsync(async () => await QueueAsync(database.ConnectionString, name) is null, "the session's row to be deleted");
                await Eventually.TrueAsync(async () => !await QueueExistsAsync(newQueue!), "the session's queue to be deleted");
            }

            // And a clean start with expiry 0 of a kept session deletes it at once, on whichever node.
            await using (var kept = await ConnectAsync(a.MqttPort, plant.OperatorKey, "integration", cleanStart: true, Expiry, expectPresent: false))
            {
                await kept.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            }

            await Eventually.TrueAsync(() => IsAwayAsync(database.ConnectionString, name), "the session to be released");
            var keptQueue = await QueueAsync(database.ConnectionString, name);
            await using (await ConnectAsync(b.MqttPort, plant.OperatorKey, "integration", cleanStart: true, 0, expectPresent: false))
            {
                Assert.Null(await QueueAsync(database.ConnectionString, name));
                await Eventually.TrueAsync(async () => !await QueueExistsAsync(keptQueue!), "the kept session's queue to be deleted");
            }
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }

    [Fact]
    public async Task One_tenants_client_id_does_not_reach_another_tenants_session_and_the_session_quota_holds_across_nodes()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();

        // Three kept sessions per tenant, on whichever nodes.
        static global::Millwright.Hosting.ServeOptions ThreeSessions(global::Millwright.Hosting.ServeOptions options) =>
            options with { Quotas = global::Millwright.Api.QuotaOptions.Default with { PersistentSessions = 3 } };
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri, ThreeSessions);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri, ThreeSessions);
        try
        {
            string platformKey;
            await using (var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync())
            {
                platformKey = await ClusterPlant.PlatformKeyAsync(store);
            }

            var one = await ClusterPlant.CreateAsync(a, platformKey);
            var two = await ClusterPlant.CreateAsync(a, platformKey);
            await using (var first = await ConnectAsync(a.MqttPort, one.OperatorKey, "shared-name", cleanStart: true, Expiry, expectPresent: false))
            {
                await SubscribeAsync(first, $"mw/{one.Slug}/+/cmd", QualityOfService.AtLeastOnce);
                await first.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            }

            await Eventually.TrueAsync(() => IsAwayAsync(database.ConnectionString, name), "the session to be released");

            // Tenant two's client with the same id on node b: no session present, and tenant one's is untouched.
            await using (var other = await ConnectAsync(b.MqttPort, two.OperatorKey, "shared-name", cleanStart: false, Expiry, expectPresent: false))
            {
                await other.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            }

            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await Eventually.TrueAsync(async () => await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM mqtt_sessions WHERE cluster = @name AND node IS NULL", new { name }) == 2, "both sessions to be released");
                var subscriptions = (await connection.QueryAsync<string>(
                    "SELECT subscriptions FROM mqtt_sessions WHERE cluster = @name ORDER BY subscriptions", new { name })).ToList();
                Assert.Equal(["[]"], subscriptions.Where(s => s == "[]"));
                Assert.Contains(subscriptions, s => s.Contains(one.Slug, StringComparison.Ordinal));
            }

            await using (var back = await ConnectAsync(b.MqttPort, one.OperatorKey, "shared-name", cleanStart: false, Expiry, expectPresent: true))
            {
                await back.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            }

            // Tenant one keeps "shared-name"; one more kept session on each node fills its quota of three, and a fourth
            // is refused on either node. Tenant two's session counts against tenant two only.
            await using (await ConnectAsync(b.MqttPort, one.OperatorKey, "extra-1", cleanStart: true, Expiry, expectPresent: false))
            await using (await ConnectAsync(a.MqttPort, one.OperatorKey, "extra-2", cleanStart: true, Expiry, expectPresent: false))
            {
                foreach (var node in new[] { a, b })
                {
                    var refused = new RawMqttClient(MqttProtocolVersion.V500);
                    await refused.ConnectAsync(node.MqttPort);
                    await refused.SendAsync(Connect(one.OperatorKey, "one-too-many", cleanStart: true, Expiry));
                    Assert.Equal(ReasonCode.QuotaExceeded, Assert.IsType<ConnAckPacket>(await refused.ReceiveAsync()).ReasonCode);
                    await refused.DisposeAsync();
                }

                await using (await ConnectAsync(a.MqttPort, two.OperatorKey, "extra-1", cleanStart: true, Expiry, expectPresent: false))
                {
                }
            }
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }

    [Fact]
    public async Task A_session_away_while_its_tenant_is_renamed_gets_back_neither_the_old_slugs_filter_nor_what_the_slugs_new_owner_sent()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        try
        {
            string platformKey;
            await using (var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync())
            {
                platformKey = await ClusterPlant.PlatformKeyAsync(store);
            }

            var plant = await ClusterPlant.CreateAsync(a, platformKey);
            var oldSlug = plant.Slug;
            await using (var dashboard = await ConnectAsync(a.MqttPort, plant.OperatorKey, "dashboard", cleanStart: true, Expiry, expectPresent: false))
            {
                Assert.Equal([ReasonCode.GrantedQoS1], await SubscribeAsync(dashboard, $"mw/{oldSlug}/+/cmd", QualityOfService.AtLeastOnce));
                await dashboard.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            }

            await Eventually.TrueAsync(() => IsAwayAsync(database.ConnectionString, name), "the session to be released by node a");

            // A row from before migration 0057 has no login, so the access watch cannot end it at the rename (see
            // An_away_session_whose_key_or_credential_is_revoked_or_whose_tenant_is_renamed_...): the check at
            // resumption must still keep the other tenant's messages from it.
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.ExecuteAsync("UPDATE mqtt_sessions SET login = NULL WHERE cluster = @name", new { name });
            }

            // While the dashboard is away its tenant takes a new slug, and another tenant takes the old one and sends
            // a command under it, which the session's queue, still bound to the old filter, takes in.
            var newSlug = $"n-{Guid.NewGuid():N}"[..20];
            using (var platform = a.Client(platformKey))
            {
                await platform.PutJsonAsync($"/api/v1/tenants/{plant.TenantId}", new { slug = newSlug, name = newSlug }, HttpStatusCode.OK);
                var other = (await platform.PostJsonAsync("/api/v1/tenants", new { slug = oldSlug, name = "other" }, HttpStatusCode.Created))["id"]!.GetValue<long>();
                var otherKey = (await platform.PostJsonAsync($"/api/v1/tenants/{other}/api-keys", new { name = "mes", role = "operator", reason = "cluster test" }, HttpStatusCode.Created))["key"]!.GetValue<string>();
                await AwaitBridgesAsync(a, b);
                await using var intruder = await ClusterMqtt.ConnectAsync(b.MqttPort, "operator", otherKey);
                await PublishAsync(intruder, $"mw/{oldSlug}/press-1/cmd", 1, "the other tenant's");
            }

            var queue = await QueueAsync(database.ConnectionString, name);
            await Eventually.TrueAsync(async () => await QueueLengthAsync(queue!) == 1, "the other tenant's command to reach the session's queue");

            // Resumed: the old filter is not restored (the key may no longer subscribe to it), so what came under it is
            // dropped; the first message the dashboard gets is its own tenant's, under the new slug.
            await using var resumed = await ConnectAsync(b.MqttPort, plant.OperatorKey, "dashboard", cleanStart: false, Expiry, expectPresent: true);
            Assert.Equal([ReasonCode.GrantedQoS1], await SubscribeAsync(resumed, $"mw/{newSlug}/+/cmd", QualityOfService.AtLeastOnce));
            await using (var mes = await ClusterMqtt.ConnectAsync(a.MqttPort, "operator", plant.OperatorKey))
            {
                await PublishAsync(mes, $"mw/{newSlug}/press-1/cmd", 1, "its own");
            }

            Assert.Equal(["its own"], await ReceiveAsync(resumed, 1));
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }

    [Fact]
    public async Task A_claim_that_no_connection_serves_is_never_left_held_by_its_node()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        string? firstQueue = null;
        try
        {
            var plant = await PlantAsync(a, database);
            await using (var first = await ConnectAsync(a.MqttPort, plant.OperatorKey, "integration", cleanStart: true, Expiry, expectPresent: false))
            {
                await SubscribeAsync(first, $"mw/{plant.Slug}/+/cmd", QualityOfService.AtLeastOnce);
                await first.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            }

            await Eventually.TrueAsync(() => IsAwayAsync(database.ConnectionString, name), "the session to be released");

            // The stored queue is one RabbitMQ will not delete now (exclusive to another connection): what follows a
            // clean start's claim fails. Before, that failure came after the claim committed and refused the CONNECT,
            // leaving the new row held by node a for ever; now the old queue is dropped in the background.
            await using (var locker = await new RabbitMQ.Client.ConnectionFactory { Uri = TestRabbitMq.Uri }.CreateConnectionAsync())
            {
                await using var channel = await locker.CreateChannelAsync();
                var locked = $"{name}.locked";
                await channel.QueueDeclareAsync(locked, durable: false, exclusive: true, autoDelete: false);
                await using (var connection = new NpgsqlConnection(database.ConnectionString))
                {
                    firstQueue = await QueueAsync(database.ConnectionString, name);
                    await connection.ExecuteAsync("UPDATE mqtt_sessions SET queue = @locked WHERE cluster = @name", new { locked, name });
                }

                await using var fresh = await ConnectAsync(a.MqttPort, plant.OperatorKey, "integration", cleanStart: true, Expiry, expectPresent: false);
                await fresh.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            }

            await Eventually.TrueAsync(() => IsAwayAsync(database.ConnectionString, name), "the new session to be released");

            // A claim that committed but whose connect went no further (stood for here by the row alone): node a serves
            // no connection for it, so its check releases the row, which can then expire.
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.ExecuteAsync(
                    "UPDATE mqtt_sessions SET node = 'node-a', generation = nextval('mqtt_sessions_generation'), disconnected_at = NULL WHERE cluster = @name", new { name });
            }

            await Eventually.TrueAsync(() => IsAwayAsync(database.ConnectionString, name), "node a to release the row it does not serve");
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
            if (firstQueue is not null)
            {
                await TestRabbitMq.DeleteQueuesAsync([firstQueue]);
            }
        }
    }

    [Fact]
    public async Task A_subscribe_of_a_session_taken_over_meanwhile_binds_nothing_to_its_queue()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        try
        {
            var plant = await PlantAsync(a, database);
            await using var old = await ConnectAsync(a.MqttPort, plant.OperatorKey, "integration", cleanStart: true, Expiry, expectPresent: false);
            Assert.Equal([ReasonCode.GrantedQoS1], await SubscribeAsync(old, $"mw/{plant.Slug}/press-a/cmd", QualityOfService.AtLeastOnce));

            // Another claim took the row, and node a has not heard yet (its notification on the way).
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.ExecuteAsync(
                    "UPDATE mqtt_sessions SET node = 'node-b', generation = nextval('mqtt_sessions_generation') WHERE cluster = @name", new { name });
            }

            // The old connection subscribes once more: it is closed as taken over, and its queue gets no new binding.
            await old.SendAsync(new SubscribePacket { PacketId = 2, Subscriptions = [new Subscription($"mw/{plant.Slug}/press-b/cmd", QualityOfService.AtLeastOnce)] });
            Assert.Equal(ReasonCode.SessionTakenOver, Assert.IsType<DisconnectPacket>(await old.ReceiveAsync()).ReasonCode);

            // Sent in this order through one bridge, so the queue would hold press-b's first had it been bound.
            await AwaitBridgesAsync(a);
            await using (var mes = await ClusterMqtt.ConnectAsync(a.MqttPort, "operator", plant.OperatorKey))
            {
                await PublishAsync(mes, $"mw/{plant.Slug}/press-b/cmd", 1, "press-b, never subscribed");
                await PublishAsync(mes, $"mw/{plant.Slug}/press-a/cmd", 2, "press-a, subscribed");
            }

            var queue = (await QueueAsync(database.ConnectionString, name))!;
            await Eventually.TrueAsync(async () => await QueueLengthAsync(queue) >= 1, "press-a's command to be queued");
            Assert.Equal(1u, await QueueLengthAsync(queue));
            Assert.Contains("press-a, subscribed", await FirstQueuedAsync(queue), StringComparison.Ordinal);
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }

    [Fact]
    public async Task An_away_session_whose_key_or_credential_is_revoked_or_whose_tenant_is_renamed_is_deleted_with_its_queue()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        try
        {
            string platformKey;
            await using (var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync())
            {
                platformKey = await ClusterPlant.PlatformKeyAsync(store);
            }

            var plant = await ClusterPlant.CreateAsync(a, platformKey);
            using var platform = a.Client(platformKey);
            var adminKey = (await platform.PostJsonAsync($"/api/v1/tenants/{plant.TenantId}/api-keys", new { name = "admin", role = "tenant_admin", reason = "cluster test" }, HttpStatusCode.Created))["key"]!.GetValue<string>();
            using var admin = a.Client(adminKey);
            var second = await admin.PostJsonAsync("/api/v1/api-keys", new { name = "second", role = "operator" }, HttpStatusCode.Created);
            var credential = await admin.PostJsonAsync($"/api/v1/machines/{plant.MachineId}/credentials", new { }, HttpStatusCode.Created);
            var commands = $"mw/{plant.Slug}/{plant.MachineName}/cmd";

            // Three kept sessions of the tenant, each subscribed on node a, then away.
            foreach (var (user, password, clientId) in new[]
            {
                ("operator", second["key"]!.GetValue<string>(), "by-key"),
                (credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), "by-device"),
                ("operator", plant.OperatorKey, "by-operator"),
            })
            {
                await using var client = await ConnectAsync(a.MqttPort, password, clientId, cleanStart: true, Expiry, expectPresent: false, user);
                Assert.Equal([ReasonCode.GrantedQoS1], await SubscribeAsync(client, commands, QualityOfService.AtLeastOnce));
                await client.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.Success });
            }

            await Eventually.TrueAsync(async () => (await AwaySessionsAsync(database.ConnectionString, name)).Count == 3, "the three sessions to be released");
            var queues = await SessionQueuesAsync(database.ConnectionString, name);

            // Each access that ends takes its away session, row and queue, and leaves the others.
            await admin.DeleteAsync($"/api/v1/api-keys/{second.Id()}", HttpStatusCode.NoContent);
            await Eventually.TrueAsync(async () => !(await AwaySessionsAsync(database.ConnectionString, name)).Contains("by-key"), "the revoked key's session to be deleted");
            Assert.Equal(["by-device", "by-operator"], await AwaySessionsAsync(database.ConnectionString, name));
            await Eventually.TrueAsync(async () => !await QueueExistsAsync(queues["by-key"]), "the revoked key's session queue to be deleted");

            await admin.DeleteAsync($"/api/v1/machines/{plant.MachineId}/credentials/{credential.Id()}", HttpStatusCode.NoContent);
            await Eventually.TrueAsync(async () => !(await AwaySessionsAsync(database.ConnectionString, name)).Contains("by-device"), "the revoked credential's session to be deleted");
            Assert.Equal(["by-operator"], await AwaySessionsAsync(database.ConnectionString, name));

            // A renamed tenant: its old slug may be taken by another tenant next, so nothing kept under it stays.
            var newSlug = $"n-{Guid.NewGuid():N}"[..20];
            await platform.PutJsonAsync($"/api/v1/tenants/{plant.TenantId}", new { slug = newSlug, name = newSlug }, HttpStatusCode.OK);
            await Eventually.TrueAsync(async () => (await AwaySessionsAsync(database.ConnectionString, name)).Count == 0, "the renamed tenant's session to be deleted");
            await Eventually.TrueAsync(async () => !await QueueExistsAsync(queues["by-operator"]) && !await QueueExistsAsync(queues["by-device"]), "their queues to be deleted");
        }
        finally
        {
            await DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }

    /// <summary>The client ids of the cluster's sessions whose clients are away, in order.</summary>
    private static async Task<List<string>> AwaySessionsAsync(string connectionString, string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var keys = await connection.QueryAsync<string>("SELECT session_key FROM mqtt_sessions WHERE cluster = @name AND node IS NULL", new { name });
        return [.. keys.Select(k => k[(k.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal)];
    }

    private static async Task<Dictionary<string, string>> SessionQueuesAsync(string connectionString, string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(string Key, string Queue)>("SELECT session_key, queue FROM mqtt_sessions WHERE cluster = @name", new { name });
        return rows.ToDictionary(r => r.Key[(r.Key.LastIndexOf('/') + 1)..], r => r.Queue);
    }

    /// <summary>The first message waiting in a session's queue, read by a consumer (a quorum queue with a single active consumer has no basic.get) and left there.</summary>
    private static async Task<string> FirstQueuedAsync(string queue)
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = TestRabbitMq.Uri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, 1, global: false);
        var first = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            first.TrySetResult(Encoding.UTF8.GetString(delivery.Body.Span));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        return await first.Task.WaitAsync(Eventually.DefaultPatience);
    }

    internal static async Task<ClusterPlant> PlantAsync(ClusterPeer node, TestPostgresDatabase database)
    {
        await using var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync();
        return await ClusterPlant.CreateAsync(node, await ClusterPlant.PlatformKeyAsync(store));
    }

    private static ConnectPacket Connect(string key, string clientId, bool cleanStart, uint expiry, string user = "operator") => new()
    {
        ProtocolVersion = MqttProtocolVersion.V500,
        ClientId = clientId,
        CleanStart = cleanStart,
        KeepAliveSeconds = 60,
        UserName = user,
        Password = Encoding.UTF8.GetBytes(key),
        Properties = new MqttProperties { SessionExpiryInterval = expiry },
    };

    internal static async Task<RawMqttClient> ConnectAsync(int port, string key, string clientId, bool cleanStart, uint expiry, bool expectPresent, string user = "operator")
    {
        var client = new RawMqttClient(MqttProtocolVersion.V500);
        await client.ConnectAsync(port);
        await client.SendAsync(Connect(key, clientId, cleanStart, expiry, user));
        var connAck = Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        Assert.Equal(ReasonCode.Success, connAck.ReasonCode);
        Assert.Equal(expectPresent, connAck.SessionPresent);
        return client;
    }

    internal static async Task<IReadOnlyList<ReasonCode>> SubscribeAsync(RawMqttClient client, string filter, QualityOfService qos)
    {
        await client.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription(filter, qos)] });
        return Assert.IsType<SubAckPacket>(await client.ReceiveAsync()).ReasonCodes;
    }

    private static async Task PublishAsync(RawMqttClient client, string topic, ushort packetId, string payload)
    {
        await client.SendAsync(new PublishPacket { Topic = topic, QoS = QualityOfService.AtLeastOnce, PacketId = packetId, Payload = Encoding.UTF8.GetBytes(payload) });
        Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await client.ReceiveAsync()).ReasonCode);
    }

    /// <summary>The payloads of the next <paramref name="count"/> messages, each QoS 1 and acknowledged.</summary>
    private static async Task<List<string>> ReceiveAsync(RawMqttClient client, int count)
    {
        var payloads = new List<string>();
        while (payloads.Count < count)
        {
            var publish = Assert.IsType<PublishPacket>(await client.ReceiveAsync());
            Assert.Equal(QualityOfService.AtLeastOnce, publish.QoS);
            payloads.Add(Encoding.UTF8.GetString(publish.Payload.Span));
            await client.SendAsync(new PubAckPacket { PacketId = publish.PacketId });
        }

        return payloads;
    }

    /// <summary>A message published on these nodes goes to the cluster's exchange only once their bridge is linked.</summary>
    private static Task AwaitBridgesAsync(params ClusterPeer[] nodes) =>
        Eventually.TrueAsync(() => nodes.All(n => n.Service<MqttBridge>().Linked), "the nodes' bridges to be linked");

    private static async Task<bool> IsAwayAsync(string connectionString, string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM mqtt_sessions WHERE cluster = @name AND node IS NULL AND disconnected_at IS NOT NULL", new { name }) == 1;
    }

    private static async Task<string?> QueueAsync(string connectionString, string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT queue FROM mqtt_sessions WHERE cluster = @name", new { name });
    }

    private static async Task<string?> SubscriptionsAsync(string connectionString, string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT subscriptions FROM mqtt_sessions WHERE cluster = @name", new { name });
    }

    private static async Task<uint> QueueLengthAsync(string queue)
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = TestRabbitMq.Uri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    private static async Task<bool> QueueExistsAsync(string queue)
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = TestRabbitMq.Uri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false;
        }
    }

    /// <summary>The test's session queues, whatever is left of them (the nodes' own queues go with their connections).</summary>
    internal static async Task DeleteSessionQueuesAsync(string connectionString, string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var queues = (await connection.QueryAsync<string>("SELECT queue FROM mqtt_sessions WHERE cluster = @name", new { name })).ToArray();
        await TestRabbitMq.DeleteQueuesAsync(queues);
    }
}
