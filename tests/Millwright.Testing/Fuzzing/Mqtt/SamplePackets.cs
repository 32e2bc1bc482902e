using System.Text;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;

namespace Millwright.Fuzzing;

/// <summary>
/// Valid packets of every type in both versions, 5.0 ones with every property their packet allows.
/// The round-trip tests use them, and their encodings are the fuzzer's seeds.
/// </summary>
internal static class SamplePackets
{
    public static IEnumerable<(string Name, MqttProtocolVersion Version, MqttPacket Packet)> All()
    {
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            foreach (var (name, packet) in ForVersion(version))
            {
                yield return ($"{name} {(version == MqttProtocolVersion.V500 ? "5.0" : "3.1.1")}", version, packet);
            }
        }
    }

    public static IEnumerable<(string Name, MqttPacket Packet)> ForVersion(MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        MqttProperties? Props(PropertyTargets target) => v5 ? FullProperties(target) : null;

        yield return ("CONNECT minimal", new ConnectPacket { ProtocolVersion = version, ClientId = "plc-7", KeepAliveSeconds = 60 });
        yield return ("CONNECT full", new ConnectPacket
        {
            ProtocolVersion = version,
            CleanStart = false,
            KeepAliveSeconds = 65535,
            ClientId = "machine/ü-42",
            UserName = "device",
            Password = new byte[] { 0, 1, 2, 255 },
            Properties = Props(PropertyTargets.Connect),
            Will = new MqttWill
            {
                Topic = "mw/acme/press-1/state",
                Payload = Encoding.UTF8.GetBytes("{\"state\":\"offline\"}"),
                QoS = QualityOfService.ExactlyOnce,
                Retain = true,
                Properties = Props(PropertyTargets.Will),
            },
        });
        yield return ("CONNACK accepted", new ConnAckPacket { SessionPresent = true, ReasonCode = ReasonCode.Success, Properties = Props(PropertyTargets.ConnAck) });
        yield return ("CONNACK refused", new ConnAckPacket { ReasonCode = ReasonCode.BadUserNameOrPassword });
        yield return ("PUBLISH QoS 0", new PublishPacket { Topic = "mw/acme/press-1/telemetry", Payload = Encoding.UTF8.GetBytes("{\"values\":{\"t\":21.5}}") });
        yield return ("PUBLISH QoS 1 retained", new PublishPacket { Topic = "a/b", QoS = QualityOfService.AtLeastOnce, Retain = true, PacketId = 1, Properties = Props(PropertyTargets.Publish), Payload = new byte[300] });
        yield return ("PUBLISH QoS 2 dup empty payload", new PublishPacket { Topic = "$SYS/x", QoS = QualityOfService.ExactlyOnce, Dup = true, PacketId = 65535 });
        yield return ("PUBACK", new PubAckPacket { PacketId = 1 });
        yield return ("PUBACK with reason", new PubAckPacket { PacketId = 2, ReasonCode = v5 ? ReasonCode.NoMatchingSubscribers : ReasonCode.Success, Properties = Props(PropertyTargets.PubAck) });
        yield return ("PUBREC", new PubRecPacket { PacketId = 3, ReasonCode = v5 ? ReasonCode.QuotaExceeded : ReasonCode.Success, Properties = Props(PropertyTargets.PubRec) });
        yield return ("PUBREL", new PubRelPacket { PacketId = 4, ReasonCode = v5 ? ReasonCode.PacketIdentifierNotFound : ReasonCode.Success });
        yield return ("PUBCOMP", new PubCompPacket { PacketId = 5, Properties = Props(PropertyTargets.PubComp) });
        yield return ("SUBSCRIBE", new SubscribePacket
        {
            PacketId = 10,
            Properties = Props(PropertyTargets.Subscribe),
            Subscriptions =
            [
                new Subscription("mw/+/+/telemetry", QualityOfService.AtLeastOnce),
                new Subscription("#", QualityOfService.AtMostOnce),
                v5
                    ? new Subscription("$share/grp/mw/#", QualityOfService.ExactlyOnce, false, true, RetainHandling.DoNotSend)
                    : new Subscription("a/b", QualityOfService.ExactlyOnce),
                new Subscription("x", QualityOfService.AtMostOnce, v5, v5, v5 ? RetainHandling.SendOnNewSubscribe : RetainHandling.SendOnSubscribe),
            ],
        });
        yield return ("SUBACK", new SubAckPacket
        {
            PacketId = 10,
            Properties = Props(PropertyTargets.SubAck),
            ReasonCodes = v5
                ? [ReasonCode.GrantedQoS1, ReasonCode.Success, ReasonCode.GrantedQoS2, ReasonCode.NotAuthorized]
                : [ReasonCode.GrantedQoS1, ReasonCode.Success, ReasonCode.GrantedQoS2, ReasonCode.UnspecifiedError],
        });
        yield return ("UNSUBSCRIBE", new UnsubscribePacket { PacketId = 11, Properties = Props(PropertyTargets.Unsubscribe), TopicFilters = ["mw/+/+/telemetry", "#"] });
        yield return ("UNSUBACK", new UnsubAckPacket
        {
            PacketId = 11,
            Properties = Props(PropertyTargets.UnsubAck),
            ReasonCodes = v5 ? [ReasonCode.Success, ReasonCode.NoSubscriptionExisted] : [],
        });
        yield return ("PINGREQ", PingReqPacket.Instance);
        yield return ("PINGRESP", PingRespPacket.Instance);
        yield return ("DISCONNECT", new DisconnectPacket());
        if (v5)
        {
            yield return ("DISCONNECT with will", new DisconnectPacket { ReasonCode = ReasonCode.DisconnectWithWillMessage });
            yield return ("DISCONNECT full", new DisconnectPacket { ReasonCode = ReasonCode.ServerMoved, Properties = FullProperties(PropertyTargets.Disconnect) });
            yield return ("AUTH", new AuthPacket { ReasonCode = ReasonCode.ContinueAuthentication, Properties = FullProperties(PropertyTargets.Auth) });
            yield return ("AUTH empty", new AuthPacket());
            yield return ("PUBLISH by topic alias", new PublishPacket { Topic = "", QoS = QualityOfService.AtLeastOnce, PacketId = 7, Properties = new MqttProperties { TopicAlias = 3 }, Payload = new byte[] { 1 } });
        }
    }

    /// <summary>Every property the target allows, with values other than the defaults.</summary>
    public static MqttProperties FullProperties(PropertyTargets target)
    {
        var p = new MqttProperties();
        foreach (var id in Enum.GetValues<PropertyId>())
        {
            if (!PropertyRules.IsAllowed(id, target))
            {
                continue;
            }

            switch (id)
            {
                case PropertyId.PayloadFormatIndicator: p.PayloadFormatIndicator = 1; break;
                case PropertyId.MessageExpiryInterval: p.MessageExpiryInterval = 3600; break;
                case PropertyId.ContentType: p.ContentType = "application/json"; break;
                case PropertyId.ResponseTopic: p.ResponseTopic = "mw/acme/press-1/cmd/ack"; break;
                case PropertyId.CorrelationData: p.CorrelationData = new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }; break;
                case PropertyId.SubscriptionIdentifier: p.SubscriptionIdentifiers = target == PropertyTargets.Publish ? [1, 128, 268_435_455] : [42]; break;
                case PropertyId.SessionExpiryInterval: p.SessionExpiryInterval = uint.MaxValue; break;
                case PropertyId.AssignedClientIdentifier: p.AssignedClientIdentifier = "auto-1F3A"; break;
                case PropertyId.ServerKeepAlive: p.ServerKeepAlive = 30; break;
                case PropertyId.AuthenticationMethod: p.AuthenticationMethod = "SCRAM-SHA-256"; break;
                case PropertyId.AuthenticationData: p.AuthenticationData = new byte[] { 9, 8, 7 }; break;
                case PropertyId.RequestProblemInformation: p.RequestProblemInformation = 0; break;
                case PropertyId.WillDelayInterval: p.WillDelayInterval = 10; break;
                case PropertyId.RequestResponseInformation: p.RequestResponseInformation = 1; break;
                case PropertyId.ResponseInformation: p.ResponseInformation = "mw/acme/responses"; break;
                case PropertyId.ServerReference: p.ServerReference = "mqtt2.example:1883"; break;
                case PropertyId.ReasonString: p.ReasonString = "because 😀"; break;
                case PropertyId.ReceiveMaximum: p.ReceiveMaximum = 20; break;
                case PropertyId.TopicAliasMaximum: p.TopicAliasMaximum = 10; break;
                case PropertyId.TopicAlias: p.TopicAlias = 5; break;
                case PropertyId.MaximumQoS: p.MaximumQoS = 1; break;
                case PropertyId.RetainAvailable: p.RetainAvailable = 0; break;
                case PropertyId.UserProperty: p.UserProperties = [new("site", "plant-2"), new("site", "dup name kept"), new("", "")]; break;
                case PropertyId.MaximumPacketSize: p.MaximumPacketSize = 1_048_576; break;
                case PropertyId.WildcardSubscriptionAvailable: p.WildcardSubscriptionAvailable = 1; break;
                case PropertyId.SubscriptionIdentifierAvailable: p.SubscriptionIdentifierAvailable = 0; break;
                case PropertyId.SharedSubscriptionAvailable: p.SharedSubscriptionAvailable = 1; break;
                default: throw new InvalidOperationException($"Sample missing for {id}.");
            }
        }

        return p;
    }
}
