using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Codec;

/// <summary>
/// Decodes control packets from received bytes for one connection. Before CONNECT the version is
/// <see cref="MqttProtocolVersion.Unknown"/> and only CONNECT is accepted (5.0 [MQTT-3.1.0-1]); CONNECT sets
/// the version, and every later packet is decoded in it. The only exception thrown for bad bytes is
/// <see cref="MqttProtocolException"/>. Not thread-safe: one decoder per connection's read loop.
/// </summary>
public sealed class MqttDecoder
{
    /// <summary>Largest remaining length a four-byte Variable Byte Integer can hold (1.5.5).</summary>
    public const int MaxRemainingLength = 268_435_455;

    /// <summary>Largest whole packet: one type byte, four length bytes and the body.</summary>
    public const int MaxPacketSize = MaxRemainingLength + 5;

    // Frames split across buffer segments are copied; small ones onto the stack.
    private const int StackCopyLimit = 256;

    public MqttDecoder(MqttProtocolVersion version = MqttProtocolVersion.Unknown, int maximumPacketSize = MaxPacketSize, MqttDecoderRole role = MqttDecoderRole.Any)
    {
        if (version is not (MqttProtocolVersion.Unknown or MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
        {
            throw new ArgumentOutOfRangeException(nameof(version));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maximumPacketSize, 2);
        if (role is not (MqttDecoderRole.Any or MqttDecoderRole.Server or MqttDecoderRole.Client))
        {
            throw new ArgumentOutOfRangeException(nameof(role));
        }

        Role = role;
        Version = version;
        MaximumPacketSize = maximumPacketSize;
    }

    /// <summary>
    /// The negotiated version. Set as soon as a CONNECT's protocol level has been read and accepted, even if
    /// the rest of that CONNECT is then rejected, so that the server can answer in the client's version.
    /// </summary>
    public MqttProtocolVersion Version { get; internal set; }

    public MqttDecoderRole Role { get; }

    /// <summary>The server's Maximum Packet Size (5.0 3.2.2.3.6); larger packets fail with PacketTooLarge.</summary>
    public int MaximumPacketSize { get; }

    /// <summary>
    /// Decodes one packet from the start of <paramref name="buffer"/> and slices it off. Returns false when
    /// more bytes are needed; the buffer is then unchanged.
    /// </summary>
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out MqttPacket? packet)
    {
        // Most frames lie whole in the first segment, even when the pipe holds several: decode in place.
        if (TryDecode(buffer.FirstSpan, out packet, out var consumed))
        {
            buffer = buffer.Slice(consumed);
            return true;
        }

        if (buffer.IsSingleSegment)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[5];
        var headLength = (int)Math.Min(5, buffer.Length);
        buffer.Slice(0, headLength).CopyTo(head);
        if (!TryReadFixedHeader(head[..headLength], out _, out var remaining, out var headerLength))
        {
            return false;
        }

        var total = headerLength + remaining;
        if (buffer.Length < total)
        {
            return false;
        }

        byte[]? rented = null;
        var frame = total <= StackCopyLimit ? stackalloc byte[StackCopyLimit] : (rented = ArrayPool<byte>.Shared.Rent(total));
        try
        {
            buffer.Slice(0, total).CopyTo(frame);
            packet = DecodeBody(frame[0], frame.Slice(headerLength, remaining));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        buffer = buffer.Slice(total);
        return true;
    }

    /// <summary>Span form: decodes one packet from the start of <paramref name="buffer"/>.</summary>
    public bool TryDecode(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out MqttPacket? packet, out int consumed)
    {
        packet = null;
        consumed = 0;
        if (!TryReadFixedHeader(buffer, out var header, out var remaining, out var headerLength))
        {
            return false;
        }

        var total = headerLength + remaining;
        if (buffer.Length < total)
        {
            return false;
        }

        packet = DecodeBody(header, buffer.Slice(headerLength, remaining));
        consumed = total;
        return true;
    }

    /// <summary>
    /// Fixed header (2.1): type and flags, then the remaining length. Everything that can be judged from the
    /// header is judged here, before waiting for the body, so garbage is refused without buffering it.
    /// </summary>
    private bool TryReadFixedHeader(ReadOnlySpan<byte> buffer, out byte header, out int remaining, out int headerLength)
    {
        header = 0;
        remaining = 0;
        headerLength = 0;
        if (buffer.IsEmpty)
        {
            return false;
        }

        header = buffer[0];
        ValidateFixedHeader(header);
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i + 1 >= buffer.Length)
            {
                return false;
            }

            var b = buffer[i + 1];
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (i > 0 && b == 0)
                {
                    ProtocolErrors.Malformed("Remaining length is not minimally encoded (1.5.5).");
                }

                headerLength = i + 2;
                remaining = value;

                // 5.0 3.1.2.11.4 / 3.2.2.3.6: a packet over the receiver's Maximum Packet Size.
                if ((long)headerLength + remaining > MaximumPacketSize)
                {
                    ProtocolErrors.Throw(ReasonCode.PacketTooLarge, $"Packet of {headerLength + remaining} bytes exceeds the maximum of {MaximumPacketSize}.");
                }

                return true;
            }
        }

        ProtocolErrors.Malformed("Remaining length longer than four bytes (2.1.4).");
        return false;
    }

    private void ValidateFixedHeader(byte header)
    {
        var type = (PacketType)(header >> 4);
        var flags = header & 0x0F;

        // 3.1.0-1: the first packet from a client MUST be CONNECT; 3.1.0-2: a second CONNECT is a protocol error.
        if (Version == MqttProtocolVersion.Unknown ? type != PacketType.Connect : type == PacketType.Connect)
        {
            ProtocolErrors.Protocol(Version == MqttProtocolVersion.Unknown ? $"{type} before CONNECT." : "Second CONNECT.");
        }

        // 2.1.2 table of packet types, "direction of flow": a peer receiving what only it may send.
        var wrongDirection = Role switch
        {
            MqttDecoderRole.Server => type is PacketType.ConnAck or PacketType.SubAck or PacketType.UnsubAck or PacketType.PingResp,
            MqttDecoderRole.Client => type is PacketType.Connect or PacketType.Subscribe or PacketType.Unsubscribe or PacketType.PingReq,
            _ => false,
        };
        if (wrongDirection)
        {
            ProtocolErrors.Protocol($"{type} cannot be sent by a {(Role == MqttDecoderRole.Server ? "client" : "server")}.");
        }

        // 2.1.3 table of flags: PUBLISH carries DUP/QoS/RETAIN; PUBREL, SUBSCRIBE and UNSUBSCRIBE are 0010;
        // all others 0000. Invalid flags make the packet malformed [MQTT-2.1.3-1].
        switch (type)
        {
            case PacketType.Publish:
                var qos = (flags >> 1) & 3;
                if (qos == 3)
                {
                    ProtocolErrors.Malformed("PUBLISH with QoS 3 [MQTT-3.3.1-4].");
                }

                if (qos == 0 && (flags & 0x08) != 0)
                {
                    ProtocolErrors.Malformed("PUBLISH with DUP set at QoS 0 [MQTT-3.3.1-2].");
                }

                break;
            case PacketType.PubRel or PacketType.Subscribe or PacketType.Unsubscribe:
                if (flags != 0x02)
                {
                    ProtocolErrors.Malformed($"{type} fixed header flags must be 0010.");
                }

                break;
            case PacketType.Auth when Version == MqttProtocolVersion.V311:
            case 0:
                ProtocolErrors.Malformed($"Reserved packet type {(int)type}.");
                break;
            default:
                if (flags != 0)
                {
                    ProtocolErrors.Malformed($"{type} fixed header flags must be 0000.");
                }

                break;
        }
    }

    /// <summary>The flat switch: one case per packet type over a bounds-checked reader.</summary>
    private MqttPacket DecodeBody(byte header, ReadOnlySpan<byte> body)
    {
        var r = new MqttReader(body);
        var v5 = Version == MqttProtocolVersion.V500;
        MqttPacket packet;
        switch ((PacketType)(header >> 4))
        {
            case PacketType.Connect:
                packet = PacketReaders.ReadConnect(ref r, this);
                break;

            case PacketType.ConnAck:
            {
                // 3.2.2.1: bits 7-1 of the acknowledge flags are reserved and 0.
                var ackFlags = r.ReadByte();
                if ((ackFlags & 0xFE) != 0)
                {
                    ProtocolErrors.Malformed("CONNACK reserved flag bits set.");
                }

                var code = r.ReadByte();
                ReasonCode reason;
                if (v5)
                {
                    reason = PacketReaders.ReadReason(PacketType.ConnAck, code);
                }
                else
                {
                    // 3.1.1 3.2.2.3: return codes 6-255 are reserved.
                    if (code > 5)
                    {
                        ProtocolErrors.Malformed($"CONNACK return code {code} is reserved.");
                    }

                    reason = ConnectReturnCodes.ToReasonCode((ConnectReturnCode)code);
                }

                // 3.2.2.1.1 [MQTT-3.2.2-6] (3.1.1 [MQTT-3.2.2-4]): a refusal never claims a session.
                if ((ackFlags & 1) != 0 && reason != ReasonCode.Success)
                {
                    ProtocolErrors.Protocol("CONNACK refusal with Session Present set.");
                }

                packet = new ConnAckPacket
                {
                    SessionPresent = (ackFlags & 1) != 0,
                    ReasonCode = reason,
                    Properties = v5 ? PropertyReader.Read(ref r, PropertyTargets.ConnAck) : null,
                };
                break;
            }

            case PacketType.Publish:
                packet = PacketReaders.ReadPublish(ref r, header, v5);

                // 3.3.4 [MQTT-3.3.4-6]: a PUBLISH from a client to a server has no subscription identifier.
                if (Role == MqttDecoderRole.Server && ((PublishPacket)packet).Properties?.SubscriptionIdentifiers.Count > 0)
                {
                    ProtocolErrors.Protocol("PUBLISH from a client with a subscription identifier [MQTT-3.3.4-6].");
                }

                break;

            case PacketType.PubAck:
            {
                var id = PacketReaders.ReadPacketId(ref r);
                var (reason, props) = PacketReaders.ReadAckTail(ref r, v5, PacketType.PubAck, PropertyTargets.PubAck);
                packet = new PubAckPacket { PacketId = id, ReasonCode = reason, Properties = props };
                break;
            }

            case PacketType.PubRec:
            {
                var id = PacketReaders.ReadPacketId(ref r);
                var (reason, props) = PacketReaders.ReadAckTail(ref r, v5, PacketType.PubRec, PropertyTargets.PubRec);
                packet = new PubRecPacket { PacketId = id, ReasonCode = reason, Properties = props };
                break;
            }

            case PacketType.PubRel:
            {
                var id = PacketReaders.ReadPacketId(ref r);
                var (reason, props) = PacketReaders.ReadAckTail(ref r, v5, PacketType.PubRel, PropertyTargets.PubRel);
                packet = new PubRelPacket { PacketId = id, ReasonCode = reason, Properties = props };
                break;
            }

            case PacketType.PubComp:
            {
                var id = PacketReaders.ReadPacketId(ref r);
                var (reason, props) = PacketReaders.ReadAckTail(ref r, v5, PacketType.PubComp, PropertyTargets.PubComp);
                packet = new PubCompPacket { PacketId = id, ReasonCode = reason, Properties = props };
                break;
            }

            case PacketType.Subscribe:
                packet = PacketReaders.ReadSubscribe(ref r, v5);
                break;

            case PacketType.SubAck:
            {
                var id = PacketReaders.ReadPacketId(ref r);
                var props = v5 ? PropertyReader.Read(ref r, PropertyTargets.SubAck) : null;
                var codes = new List<ReasonCode>(r.Remaining);
                while (!r.IsEnd)
                {
                    var code = r.ReadByte();

                    // 3.1.1 3.9.3: only 0x00, 0x01, 0x02 and 0x80 are allowed [MQTT-3.9.3-2].
                    if (!v5 && code is not (0 or 1 or 2 or 0x80))
                    {
                        ProtocolErrors.Malformed($"SUBACK return code 0x{code:X2} is reserved.");
                    }

                    codes.Add(v5 ? PacketReaders.ReadReason(PacketType.SubAck, code) : (ReasonCode)code);
                }

                // One code per filter of the SUBSCRIBE, which has at least one (3.9.3).
                if (codes.Count == 0)
                {
                    ProtocolErrors.Protocol("SUBACK without reason codes.");
                }

                packet = new SubAckPacket { PacketId = id, Properties = props, ReasonCodes = codes };
                break;
            }

            case PacketType.Unsubscribe:
            {
                var id = PacketReaders.ReadPacketId(ref r);
                var props = v5 ? PropertyReader.Read(ref r, PropertyTargets.Unsubscribe) : null;
                var filters = new List<string>();
                while (!r.IsEnd)
                {
                    var filter = r.ReadString();
                    if (!MqttTopic.IsValidSubscriptionFilter(filter, allowShared: v5))
                    {
                        ProtocolErrors.Throw(ReasonCode.TopicFilterInvalid, "UNSUBSCRIBE with an invalid topic filter (4.7.1).");
                    }

                    filters.Add(filter);
                }

                // 3.10.3 [MQTT-3.10.3-2]: at least one topic filter.
                if (filters.Count == 0)
                {
                    ProtocolErrors.Protocol("UNSUBSCRIBE without topic filters [MQTT-3.10.3-2].");
                }

                packet = new UnsubscribePacket { PacketId = id, Properties = props, TopicFilters = filters };
                break;
            }

            case PacketType.UnsubAck:
            {
                var id = PacketReaders.ReadPacketId(ref r);
                if (!v5)
                {
                    // 3.1.1 3.11: packet identifier only.
                    packet = new UnsubAckPacket { PacketId = id };
                    break;
                }

                var props = PropertyReader.Read(ref r, PropertyTargets.UnsubAck);
                var codes = new List<ReasonCode>(r.Remaining);
                while (!r.IsEnd)
                {
                    codes.Add(PacketReaders.ReadReason(PacketType.UnsubAck, r.ReadByte()));
                }

                if (codes.Count == 0)
                {
                    ProtocolErrors.Protocol("UNSUBACK without reason codes.");
                }

                packet = new UnsubAckPacket { PacketId = id, Properties = props, ReasonCodes = codes };
                break;
            }

            case PacketType.PingReq:
                packet = PingReqPacket.Instance;
                break;

            case PacketType.PingResp:
                packet = PingRespPacket.Instance;
                break;

            case PacketType.Disconnect:
            {
                // 3.14.2.1: reason code and properties may be omitted (remaining length 0 or 1).
                var reason = v5 && !r.IsEnd ? PacketReaders.ReadReason(PacketType.Disconnect, r.ReadByte()) : ReasonCode.Success;
                var props = v5 && !r.IsEnd ? PropertyReader.Read(ref r, PropertyTargets.Disconnect) : null;
                packet = new DisconnectPacket { ReasonCode = reason, Properties = props };
                break;
            }

            case PacketType.Auth:
            {
                // 3.15.2.1: as DISCONNECT, may be empty for Success without properties.
                var reason = !r.IsEnd ? PacketReaders.ReadReason(PacketType.Auth, r.ReadByte()) : ReasonCode.Success;
                var props = !r.IsEnd ? PropertyReader.Read(ref r, PropertyTargets.Auth) : null;

                // 3.15.2.2.2: the authentication method is required in AUTH.
                if (props?.AuthenticationMethod is null && reason != ReasonCode.Success)
                {
                    ProtocolErrors.Protocol("AUTH without authentication method.");
                }

                packet = new AuthPacket { ReasonCode = reason, Properties = props };
                break;
            }

            default:
                // Unreachable: ValidateFixedHeader rejects reserved types.
                ProtocolErrors.Malformed("Reserved packet type.");
                return null;
        }

        // 2.1.4: the remaining length is exactly the variable header plus the payload.
        if (!r.IsEnd)
        {
            ProtocolErrors.Malformed($"{packet.Type} has {r.Remaining} bytes left over.");
        }

        return packet;
    }
}
