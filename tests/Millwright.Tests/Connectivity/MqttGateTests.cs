using System.Text;
using System.Text.Json.Nodes;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Connectivity;

/// <summary>
/// The platform's MQTT gate end to end, through the real app: device credentials, topic rules, telemetry to
/// the latest values, API keys watching their tenant, and the reason codes of each refusal.
/// </summary>
public sealed class MqttGateTests(MqttSqliteHost fixture) : IClassFixture<MqttSqliteHost>
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_device_publishes_telemetry_at_QoS_1_and_its_latest_values_show_it()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await using var device = await ConnectAsync(V5, plant.Username, plant.Secret);

        var ack = await PublishAsync(device, Telemetry(t, plant), $$$"""{"ts": {{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}, "values": {"power": 41.5}}""");

        Assert.Equal(ReasonCode.Success, ack.ReasonCode);
        var values = await WaitForLatestAsync(t, plant.MachineId);
        Assert.Equal(41.5, values.Single(v => v!["tag"]!.GetValue<string>() == "power")!["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_malformed_telemetry_payload_gets_PUBACK_0x99_with_a_reason_string()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await using var device = await ConnectAsync(V5, plant.Username, plant.Secret);

        var ack = await PublishAsync(device, Telemetry(t, plant), """{"values": {"power": 1""");

        Assert.Equal(ReasonCode.PayloadFormatInvalid, ack.ReasonCode);
        Assert.Contains("malformed JSON", ack.Properties?.ReasonString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publish_to_another_devices_topic_gets_PUBACK_0x87()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var other = await Plant.CreateAsync(t);
        await using var device = await ConnectAsync(V5, plant.Username, plant.Secret);

        var ack = await PublishAsync(device, Telemetry(t, other), """{"values": {"power": 1}}""");

        Assert.Equal(ReasonCode.NotAuthorized, ack.ReasonCode);
        Assert.Empty((await t.Viewer.GetJsonAsync($"/api/v1/machines/{other.MachineId}/latest"))["values"]!.AsArray());
    }

    [Fact]
    public async Task A_3_1_1_publish_to_another_devices_topic_closes_the_connection()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var other = await Plant.CreateAsync(t);
        await using var device = await ConnectAsync(MqttProtocolVersion.V311, plant.Username, plant.Secret);

        // 3.1.1 has no negative PUBACK; the server closes the connection instead (3.3.5).
        await device.SendAsync(new PublishPacket { Topic = Telemetry(t, other), QoS = QualityOfService.AtLeastOnce, PacketId = 1, Payload = """{"values": {"power": 1}}"""u8.ToArray() });
        Assert.Null(await device.ReceiveAsync());
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_device_subscription_outside_its_topics_is_refused_in_SUBACK(MqttProtocolVersion version)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var other = await Plant.CreateAsync(t);
        await using var device = await ConnectAsync(version, plant.Username, plant.Secret);

        var codes = await SubscribeAsync(device, $"mw/{t.Slug}/{MachineName(plant)}/cmd", $"mw/{t.Slug}/{MachineName(other)}/#", "#", $"mw/{t.Slug}/+/telemetry");

        // 3.1.1 has a single failure code, 0x80 (3.9.3).
        var refused = version == V5 ? ReasonCode.NotAuthorized : ReasonCode.UnspecifiedError;
        Assert.Equal([ReasonCode.GrantedQoS1, refused, refused, refused], codes);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, ReasonCode.BadUserNameOrPassword)]
    [InlineData(MqttProtocolVersion.V500, ReasonCode.BadUserNameOrPassword)]
    public async Task A_bad_device_password_is_refused_in_CONNACK(MqttProtocolVersion version, ReasonCode expected)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await using var client = new RawMqttClient(version);
        await client.ConnectAsync(Host.MqttPort);
        await client.SendAsync(Connect(version, plant.Username, plant.Secret + "x"));

        // 5.0: 0x86; 3.1.1: return code 4, which the decoder reads as the same reason (3.2.2.3).
        var connAck = Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        Assert.Equal(expected, connAck.ReasonCode);
        Assert.Null(await client.ReceiveAsync());
    }

    [Fact]
    public async Task An_API_key_may_subscribe_to_its_tenant_and_sees_its_devices_but_not_another_tenants()
    {
        using var a = await Host.CreateTenantAsync("a");
        using var b = await Host.CreateTenantAsync("b");
        var plant = await Plant.CreateAsync(a);
        await using var watcher = await ConnectAsync(V5, "dashboard", a.ViewerKey);

        var codes = await SubscribeAsync(watcher, $"mw/{a.Slug}/#", $"mw/{b.Slug}/#", "mw/+/#", "#");
        Assert.Equal([ReasonCode.GrantedQoS1, ReasonCode.NotAuthorized, ReasonCode.NotAuthorized, ReasonCode.NotAuthorized], codes);

        await using var device = await ConnectAsync(V5, plant.Username, plant.Secret);
        Assert.Equal(ReasonCode.Success, (await PublishAsync(device, Telemetry(a, plant), """{"values": {"power": 7}}""")).ReasonCode);
        var seen = Assert.IsType<PublishPacket>(await watcher.ReceiveAsync());
        Assert.Equal(Telemetry(a, plant), seen.Topic);
    }

    [Fact]
    public async Task A_device_of_one_tenant_cannot_read_another_tenants_topics()
    {
        using var a = await Host.CreateTenantAsync("a");
        using var b = await Host.CreateTenantAsync("b");
        var plantA = await Plant.CreateAsync(a);
        var plantB = await Plant.CreateAsync(b);
        await using var intruder = await ConnectAsync(V5, plantB.Username, plantB.Secret);

        var codes = await SubscribeAsync(intruder, $"mw/{a.Slug}/{MachineName(plantA)}/telemetry", $"mw/{a.Slug}/#", $"spBv1.0/{a.Slug}/#", $"mw/+/{MachineName(plantA)}/#");
        Assert.All(codes, c => Assert.Equal(ReasonCode.NotAuthorized, c));

        // Nor can it reach them by publishing as the other tenant's device.
        var ack = await PublishAsync(intruder, Telemetry(a, plantA), """{"values": {"power": 1}}""");
        Assert.Equal(ReasonCode.NotAuthorized, ack.ReasonCode);
    }

    [Fact]
    public async Task A_device_of_another_tenant_using_the_same_client_id_gets_neither_the_session_nor_its_messages()
    {
        using var a = await Host.CreateTenantAsync("a");
        using var b = await Host.CreateTenantAsync("b");
        var plantA = await Plant.CreateAsync(a);
        var plantB = await Plant.CreateAsync(b);
        var clientId = "press-" + Guid.NewGuid().ToString("N")[..8];
        var persistent = new MqttProperties { SessionExpiryInterval = 3600 };

        await using (var owner = await ConnectAsync(V5, plantA.Username, plantA.Secret, clientId, persistent))
        {
            Assert.Equal([ReasonCode.GrantedQoS1], await SubscribeAsync(owner, $"mw/{a.Slug}/{MachineName(plantA)}/cmd"));
            await owner.SendAsync(new DisconnectPacket());
        }

        await using var operatorClient = await ConnectAsync(V5, "ops", a.OperatorKey);
        Assert.Equal(ReasonCode.Success, (await PublishAsync(operatorClient, $"mw/{a.Slug}/{MachineName(plantA)}/cmd", """{"cmd": "stop"}""")).ReasonCode);

        // Client ids are chosen by clients; a session must not be reachable by someone else's credential (3.1.4).
        await using var intruder = new RawMqttClient(V5);
        await intruder.ConnectAsync(Host.MqttPort);
        var connect = Connect(V5, plantB.Username, plantB.Secret);
        connect.ClientId = clientId;
        connect.CleanStart = false;
        connect.Properties = persistent;
        await intruder.SendAsync(connect);
        Assert.False(Assert.IsType<ConnAckPacket>(await intruder.ReceiveAsync()).SessionPresent);
        await intruder.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await intruder.ReceiveAsync());

        // The owner's session and its queued command are still there for the owner.
        await using var back = await ConnectAsync(V5, plantA.Username, plantA.Secret, clientId, persistent, cleanStart: false);
        Assert.Equal($"mw/{a.Slug}/{MachineName(plantA)}/cmd", Assert.IsType<PublishPacket>(await back.ReceiveAsync()).Topic);
    }

    private static string MachineName(Plant plant) => $"{plant.Marker}-press";

    private static string Telemetry(TestTenant t, Plant plant) => $"mw/{t.Slug}/{MachineName(plant)}/telemetry";

    private static ConnectPacket Connect(MqttProtocolVersion version, string user, string password) => new()
    {
        ProtocolVersion = version,
        ClientId = "c-" + Guid.NewGuid().ToString("N")[..12],
        KeepAliveSeconds = 30,
        UserName = user,
        Password = Encoding.UTF8.GetBytes(password),
    };

    private async Task<RawMqttClient> ConnectAsync(MqttProtocolVersion version, string user, string password, string? clientId = null, MqttProperties? properties = null, bool cleanStart = true)
    {
        var client = new RawMqttClient(version);
        await client.ConnectAsync(Host.MqttPort);
        var connect = Connect(version, user, password);
        connect.ClientId = clientId ?? connect.ClientId;
        connect.Properties = properties;
        connect.CleanStart = cleanStart;
        await client.SendAsync(connect);
        var connAck = Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        Assert.Equal(ReasonCode.Success, connAck.ReasonCode);
        return client;
    }

    private static async Task<PubAckPacket> PublishAsync(RawMqttClient client, string topic, string json)
    {
        await client.SendAsync(new PublishPacket { Topic = topic, QoS = QualityOfService.AtLeastOnce, PacketId = 1, Payload = Encoding.UTF8.GetBytes(json) });
        var ack = Assert.IsType<PubAckPacket>(await client.ReceiveAsync());
        Assert.Equal(1, ack.PacketId);
        return ack;
    }

    private static async Task<IReadOnlyList<ReasonCode>> SubscribeAsync(RawMqttClient client, params string[] filters)
    {
        await client.SendAsync(new SubscribePacket { PacketId = 2, Subscriptions = [.. filters.Select(f => new Subscription(f, QualityOfService.AtLeastOnce))] });
        return Assert.IsType<SubAckPacket>(await client.ReceiveAsync()).ReasonCodes;
    }

    private static Task<JsonArray> WaitForLatestAsync(TestTenant t, long machineId) =>
        Eventually.ValueAsync(
            async () => (await t.Viewer.GetJsonAsync($"/api/v1/machines/{machineId}/latest"))["values"]!.AsArray(),
            values => values.Count > 0, "the telemetry to reach the latest values");
}
