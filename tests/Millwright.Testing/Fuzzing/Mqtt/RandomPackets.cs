using Millwright.Mqtt;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;

namespace Millwright.Fuzzing;

/// <summary>
/// Random valid packets: every type, random subsets of the properties their packet allows, strings with
/// one- to four-byte UTF-8 characters. Complements the fixed samples, which hold every property at once.
/// </summary>
internal sealed class RandomPackets(int seed)
{
    private static readonly string[] Pieces = ["a", "b", "z9", "é", "€", "😀", " ", "-", "ü", "中"];
    private readonly Random _random = new(seed);

    public (MqttPacket Packet, MqttProtocolVersion Version) Next()
    {
        var v5 = _random.Next(2) == 0;
        var version = v5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        var type = (PacketType)_random.Next(1, v5 ? 16 : 15);
        MqttPacket packet = type switch
        {
            PacketType.Connect => Connect(version),
            PacketType.ConnAck => ConnAck(v5),
            PacketType.Publish => Publish(v5),
            PacketType.PubAck => new PubAckPacket { PacketId = Id(), ReasonCode = Reason(v5, PacketType.PubAck), Properties = Props(v5, PropertyTargets.PubAck) },
            PacketType.PubRec => new PubRecPacket { PacketId = Id(), ReasonCode = Reason(v5, PacketType.PubRec), Properties = Props(v5, PropertyTargets.PubRec) },
            PacketType.PubRel => new PubRelPacket { PacketId = Id(), ReasonCode = Reason(v5, PacketType.PubRel), Properties = Props(v5, PropertyTargets.PubRel) },
            PacketType.PubComp => new PubCompPacket { PacketId = Id(), ReasonCode = Reason(v5, PacketType.PubComp), Properties = Props(v5, PropertyTargets.PubComp) },
            PacketType.Subscribe => Subscribe(v5),
            PacketType.SubAck => new SubAckPacket
            {
                PacketId = Id(),
                Properties = Props(v5, PropertyTargets.SubAck),
                ReasonCodes = Many(() => v5 ? Reason(v5, PacketType.SubAck) : (ReasonCode)new[] { 0, 1, 2, 0x80 }[_random.Next(4)]),
            },
            PacketType.Unsubscribe => new UnsubscribePacket { PacketId = Id(), Properties = Props(v5, PropertyTargets.Unsubscribe), TopicFilters = Many(Filter) },
            PacketType.UnsubAck => new UnsubAckPacket
            {
                PacketId = Id(),
                Properties = Props(v5, PropertyTargets.UnsubAck),
                ReasonCodes = v5 ? Many(() => Reason(v5, PacketType.UnsubAck)) : [],
            },
            PacketType.PingReq => PingReqPacket.Instance,
            PacketType.PingResp => PingRespPacket.Instance,
            PacketType.Disconnect => new DisconnectPacket { ReasonCode = Reason(v5, PacketType.Disconnect), Properties = Props(v5, PropertyTargets.Disconnect) },
            _ => Auth(),
        };
        return (packet, version);
    }

    private ConnectPacket Connect(MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        var userName = _random.Next(2) == 0 ? Text() : null;
        var clientId = Text();
        return new ConnectPacket
        {
            ProtocolVersion = version,

            // 3.1.1 [MQTT-3.1.3-8]: an empty client id needs clean session.
            CleanStart = clientId.Length == 0 || _random.Next(2) == 0,
            KeepAliveSeconds = (ushort)_random.Next(65536),
            ClientId = clientId,
            UserName = userName,

            // 3.1.1 [MQTT-3.1.2-22]: a password needs a user name.
            Password = (v5 || userName is not null) && _random.Next(2) == 0 ? Bytes() : null,
            Properties = Props(v5, PropertyTargets.Connect),
            Will = _random.Next(2) == 0
                ? null
                : new MqttWill { Topic = Topic(), Payload = Bytes(), QoS = QoS(), Retain = _random.Next(2) == 0, Properties = Props(v5, PropertyTargets.Will) },
        };
    }

    private ConnAckPacket ConnAck(bool v5)
    {
        var reason = v5 ? Reason(v5, PacketType.ConnAck) : ConnectReturnCodes.ToReasonCode((ConnectReturnCode)_random.Next(6));
        return new ConnAckPacket { ReasonCode = reason, SessionPresent = reason == ReasonCode.Success && _random.Next(2) == 0, Properties = Props(v5, PropertyTargets.ConnAck) };
    }

    private PublishPacket Publish(bool v5)
    {
        var qos = QoS();
        var properties = Props(v5, PropertyTargets.Publish);

        // 3.3.2.3.4: an empty topic only stands with a topic alias.
        var topic = properties?.TopicAlias is not null && _random.Next(2) == 0 ? "" : Topic();
        return new PublishPacket
        {
            QoS = qos,
            Dup = qos != QualityOfService.AtMostOnce && _random.Next(2) == 0,
            Retain = _random.Next(2) == 0,
            Topic = topic,
            PacketId = qos == QualityOfService.AtMostOnce ? (ushort)0 : Id(),
            Properties = properties,
            Payload = _random.Next(10) == 0 ? new byte[_random.Next(20_000)] : Bytes(),
        };
    }

    private SubscribePacket Subscribe(bool v5) => new()
    {
        PacketId = Id(),
        Properties = Props(v5, PropertyTargets.Subscribe),
        Subscriptions = Many(() =>
        {
            var shared = v5 && _random.Next(4) == 0;
            return new Subscription(
                shared ? $"$share/{Piece()}/{Filter()}" : Filter(),
                QoS(),
                v5 && !shared && _random.Next(2) == 0,
                v5 && _random.Next(2) == 0,
                v5 ? (RetainHandling)_random.Next(3) : RetainHandling.SendOnSubscribe);
        }),
    };

    private AuthPacket Auth()
    {
        var reason = Reason(true, PacketType.Auth);
        var properties = Props(true, PropertyTargets.Auth);

        // 3.15.2.2.2: continuing or re-authenticating names the method.
        if (reason != ReasonCode.Success)
        {
            properties ??= new MqttProperties();
            properties.AuthenticationMethod ??= Text();
        }

        return new AuthPacket { ReasonCode = reason, Properties = properties };
    }

    private MqttProperties? Props(bool v5, PropertyTargets target)
    {
        if (!v5 || _random.Next(3) == 0)
        {
            return null;
        }

        var p = new MqttProperties();
        var any = false;
        foreach (var id in Enum.GetValues<PropertyId>())
        {
            if (!PropertyRules.IsAllowed(id, target) || _random.Next(2) == 0)
            {
                continue;
            }

            any = true;
            switch (id)
            {
                case PropertyId.PayloadFormatIndicator: p.PayloadFormatIndicator = Flag(); break;
                case PropertyId.MessageExpiryInterval: p.MessageExpiryInterval = UInt(); break;
                case PropertyId.ContentType: p.ContentType = Text(); break;
                case PropertyId.ResponseTopic: p.ResponseTopic = Topic(); break;
                case PropertyId.CorrelationData: p.CorrelationData = Bytes(); break;
                case PropertyId.SubscriptionIdentifier:
                    p.SubscriptionIdentifiers = target == PropertyTargets.Publish ? Many(() => (uint)_random.Next(1, 268_435_456)) : [(uint)_random.Next(1, 268_435_456)];
                    break;
                case PropertyId.SessionExpiryInterval: p.SessionExpiryInterval = UInt(); break;
                case PropertyId.AssignedClientIdentifier: p.AssignedClientIdentifier = Text(); break;
                case PropertyId.ServerKeepAlive: p.ServerKeepAlive = (ushort)_random.Next(65536); break;
                case PropertyId.AuthenticationMethod: p.AuthenticationMethod = Text(); break;
                case PropertyId.AuthenticationData: p.AuthenticationData = Bytes(); break;
                case PropertyId.RequestProblemInformation: p.RequestProblemInformation = Flag(); break;
                case PropertyId.WillDelayInterval: p.WillDelayInterval = UInt(); break;
                case PropertyId.RequestResponseInformation: p.RequestResponseInformation = Flag(); break;
                case PropertyId.ResponseInformation: p.ResponseInformation = Text(); break;
                case PropertyId.ServerReference: p.ServerReference = Text(); break;
                case PropertyId.ReasonString: p.ReasonString = Text(); break;
                case PropertyId.ReceiveMaximum: p.ReceiveMaximum = (ushort)_random.Next(1, 65536); break;
                case PropertyId.TopicAliasMaximum: p.TopicAliasMaximum = (ushort)_random.Next(65536); break;
                case PropertyId.TopicAlias: p.TopicAlias = (ushort)_random.Next(1, 65536); break;
                case PropertyId.MaximumQoS: p.MaximumQoS = Flag(); break;
                case PropertyId.RetainAvailable: p.RetainAvailable = Flag(); break;
                case PropertyId.UserProperty: p.UserProperties = Many(() => new UserProperty(Text(), Text())); break;
                case PropertyId.MaximumPacketSize: p.MaximumPacketSize = (uint)_random.Next(1, int.MaxValue); break;
                case PropertyId.WildcardSubscriptionAvailable: p.WildcardSubscriptionAvailable = Flag(); break;
                case PropertyId.SubscriptionIdentifierAvailable: p.SubscriptionIdentifierAvailable = Flag(); break;
                case PropertyId.SharedSubscriptionAvailable: p.SharedSubscriptionAvailable = Flag(); break;
                default: throw new InvalidOperationException($"No generator for {id}.");
            }
        }

        // CONNECT: authentication data needs a method (3.1.2.11.10).
        if (p.AuthenticationData is not null)
        {
            p.AuthenticationMethod ??= Text();
        }

        // An empty bag encodes as no properties and decodes as null.
        return any ? p : null;
    }

    private ReasonCode Reason(bool v5, PacketType type)
    {
        if (!v5)
        {
            return ReasonCode.Success;
        }

        while (true)
        {
            var code = (ReasonCode)(_random.Next(2) == 0 ? 0 : _random.Next(256));
            if (ReasonCodeRules.IsAllowed(type, code))
            {
                return code;
            }
        }
    }

    private List<T> Many<T>(Func<T> item) => Enumerable.Range(0, _random.Next(1, 5)).Select(_ => item()).ToList();

    private string Piece() => Pieces[_random.Next(Pieces.Length)];

    private string Text() => string.Concat(Enumerable.Range(0, _random.Next(0, 6)).Select(_ => Piece()));

    private string Topic() => string.Join('/', Enumerable.Range(0, _random.Next(1, 5)).Select(_ => _random.Next(4) == 0 ? "" : Piece())) is { Length: > 0 } t ? t : "t";

    private string Filter()
    {
        var levels = Enumerable.Range(0, _random.Next(1, 5)).Select(_ => _random.Next(4) switch { 0 => "+", 1 => "", _ => Piece() }).ToList();
        if (_random.Next(3) == 0)
        {
            levels.Add("#");
        }

        var filter = string.Join('/', levels);
        return filter.Length > 0 ? filter : "#";
    }

    private byte[] Bytes()
    {
        var bytes = new byte[_random.Next(0, 12)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private QualityOfService QoS() => (QualityOfService)_random.Next(3);

    private byte Flag() => (byte)_random.Next(2);

    private uint UInt() => (uint)_random.NextInt64(0, uint.MaxValue + 1L);

    private ushort Id() => (ushort)_random.Next(1, 65536);
}
