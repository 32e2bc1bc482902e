using System.Text;
using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Tests.Interop;

/// <summary>
/// Our encoder and decoder against a real peer, Debian's mosquitto 2.0: it must accept every packet we write
/// and we must decode every packet it writes, through a whole session in each version.
/// </summary>
public sealed class MosquittoInteropTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>
{
    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Mosquitto_and_our_codec_understand_each_other_through_a_whole_session(MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        var prefix = $"mw-interop/{(int)version}";
        await using var client = new RawMqttClient(version);
        await client.ConnectAsync(broker.Port);

        await client.SendAsync(new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = $"mw-interop-{(int)version}",
            KeepAliveSeconds = 30,
            Properties = v5 ? new MqttProperties { SessionExpiryInterval = 0, ReceiveMaximum = 10, RequestProblemInformation = 1, UserProperties = [new("k", "v")] } : null,
        });
        var connack = Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        Assert.Equal(ReasonCode.Success, connack.ReasonCode);
        Assert.False(connack.SessionPresent);

        // A retained message before subscribing comes back with RETAIN set (3.3.1.3).
        await client.SendAsync(new PublishPacket { Topic = prefix + "/retained", Retain = true, Payload = "kept"u8.ToArray() });

        await client.SendAsync(new SubscribePacket
        {
            PacketId = 1,
            Subscriptions = [new Subscription(prefix + "/#", QualityOfService.ExactlyOnce)],
            Properties = v5 ? new MqttProperties { SubscriptionIdentifiers = [7] } : null,
        });
        var seen = await ExchangeAsync(client, s => s.OfType<SubAckPacket>().Any() && s.OfType<PublishPacket>().Any());
        var suback = seen.OfType<SubAckPacket>().Single();
        Assert.Equal(1, suback.PacketId);
        Assert.Equal([ReasonCode.GrantedQoS2], suback.ReasonCodes);
        var retained = seen.OfType<PublishPacket>().Single();
        Assert.True(retained.Retain);
        Assert.Equal("kept", Encoding.UTF8.GetString(retained.Payload.Span));

        // QoS 1 with every message property.
        var properties = v5
            ? new MqttProperties
            {
                PayloadFormatIndicator = 1,
                MessageExpiryInterval = 600,
                ContentType = "application/json",
                ResponseTopic = prefix + "/reply",
                CorrelationData = new byte[] { 1, 2, 3 },
                UserProperties = [new("site", "plant-2"), new("line", "3"), new("site", "again")],
            }
            : null;
        await client.SendAsync(new PublishPacket { Topic = prefix + "/one", QoS = QualityOfService.AtLeastOnce, PacketId = 2, Payload = "{\"t\":1}"u8.ToArray(), Properties = properties });
        seen = await ExchangeAsync(client, s => s.OfType<PubAckPacket>().Any() && s.OfType<PublishPacket>().Any());
        Assert.Equal(2, seen.OfType<PubAckPacket>().Single().PacketId);
        var one = seen.OfType<PublishPacket>().Single();
        Assert.Equal(prefix + "/one", one.Topic);
        Assert.Equal(QualityOfService.AtLeastOnce, one.QoS);
        Assert.Equal("{\"t\":1}", Encoding.UTF8.GetString(one.Payload.Span));
        if (v5)
        {
            Assert.Equal("application/json", one.Properties!.ContentType);
            Assert.Equal(prefix + "/reply", one.Properties.ResponseTopic);
            Assert.Equal(new byte[] { 1, 2, 3 }, one.Properties.CorrelationData);
            Assert.Equal(properties!.UserProperties, one.Properties.UserProperties);
            Assert.Equal((byte)1, one.Properties.PayloadFormatIndicator);
            Assert.InRange(one.Properties.MessageExpiryInterval!.Value, 1u, 600u);
            Assert.Equal([7u], one.Properties.SubscriptionIdentifiers);
        }

        // QoS 2 both ways: PUBREC/PUBREL/PUBCOMP for ours, and for the delivery to us.
        await client.SendAsync(new PublishPacket { Topic = prefix + "/two", QoS = QualityOfService.ExactlyOnce, PacketId = 3, Payload = "2"u8.ToArray() });
        seen = await ExchangeAsync(client, s => s.OfType<PubCompPacket>().Any() && s.OfType<PubRelPacket>().Any());
        Assert.Equal(3, seen.OfType<PubRecPacket>().Single().PacketId);
        Assert.Equal(3, seen.OfType<PubCompPacket>().Single().PacketId);
        var two = seen.OfType<PublishPacket>().Single();
        Assert.Equal(QualityOfService.ExactlyOnce, two.QoS);
        Assert.Equal(two.PacketId, seen.OfType<PubRelPacket>().Single().PacketId);

        if (v5)
        {
            // 3.3.2.3.4: a topic alias set with the topic, then used with an empty topic.
            Assert.True(connack.Properties?.TopicAliasMaximum > 0);
            await client.SendAsync(new PublishPacket { Topic = prefix + "/alias", Payload = "a"u8.ToArray(), Properties = new MqttProperties { TopicAlias = 1 } });
            await client.SendAsync(new PublishPacket { Topic = "", Payload = "b"u8.ToArray(), Properties = new MqttProperties { TopicAlias = 1 } });
            seen = await ExchangeAsync(client, s => s.OfType<PublishPacket>().Count() == 2);
            Assert.All(seen.OfType<PublishPacket>(), p => Assert.Equal(prefix + "/alias", p.Topic));
        }

        await client.SendAsync(new UnsubscribePacket { PacketId = 4, TopicFilters = [prefix + "/#"] });
        var unsuback = Assert.IsType<UnsubAckPacket>(await client.ReceiveAsync());
        Assert.Equal(4, unsuback.PacketId);
        Assert.Equal(v5 ? [ReasonCode.Success] : [], unsuback.ReasonCodes);

        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());

        // Clear the retained message (3.3.1.3: empty retained payload) and leave; the broker closes.
        await client.SendAsync(new PublishPacket { Topic = prefix + "/retained", Retain = true });
        await client.SendAsync(new DisconnectPacket());
        Assert.Null(await client.ReceiveAsync());
    }

    [MosquittoFact]
    public async Task Mosquitto_refuses_an_unknown_protocol_level_with_a_connack_we_decode()
    {
        await using var client = new RawMqttClient(MqttProtocolVersion.V311);
        await client.ConnectAsync(broker.Port);

        // Level 6 does not exist; mosquitto answers in 3.1.1 form, return code 1.
        await client.SendRawAsync(Fuzzing.Wire.Frame(0x10, Fuzzing.Wire.Str("MQTT") + "06 02 003C" + Fuzzing.Wire.Str("c")));
        var connack = Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        Assert.Equal(ReasonCode.UnsupportedProtocolVersion, connack.ReasonCode);
    }

    /// <summary>Receives until the condition holds, answering the broker's side of the QoS 1 and 2 flows.</summary>
    private static async Task<List<MqttPacket>> ExchangeAsync(RawMqttClient client, Func<List<MqttPacket>, bool> done)
    {
        var seen = new List<MqttPacket>();
        while (!done(seen))
        {
            var packet = await client.ReceiveAsync() ?? throw new InvalidOperationException("The broker closed the connection.");
            seen.Add(packet);
            MqttPacket? reply = packet switch
            {
                PublishPacket { QoS: QualityOfService.AtLeastOnce } p => new PubAckPacket { PacketId = p.PacketId },
                PublishPacket { QoS: QualityOfService.ExactlyOnce } p => new PubRecPacket { PacketId = p.PacketId },
                PubRecPacket r => new PubRelPacket { PacketId = r.PacketId },
                PubRelPacket r => new PubCompPacket { PacketId = r.PacketId },
                _ => null,
            };
            if (reply is not null)
            {
                await client.SendAsync(reply);
            }
        }

        return seen;
    }
}
