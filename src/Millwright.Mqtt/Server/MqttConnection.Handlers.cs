using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Server;

/// <summary>What the connection does with each packet (5.0 chapter 3 and 4; 3.1.1 where it differs).</summary>
internal sealed partial class MqttConnection
{
    private static readonly IReadOnlyList<uint> NoIds = [];

    private uint MaxExpirySeconds => (uint)Math.Min(uint.MaxValue - 1, server.Options.MaxSessionExpiry.TotalSeconds);

    /// <summary>Reads CONNECT, asks the gate, opens the session and answers CONNACK. False: refused and closed.</summary>
    private async Task<bool> ConnectAsync(MqttServer.UnauthenticatedPlace unauthenticated, CancellationToken ct)
    {
        ConnectPacket connect;
        try
        {
            connect = await ReadConnectPacketAsync(ct);
        }
        catch (MqttProtocolException e)
        {
            // Answer in the client's version when it is known; an unknown level gets the 3.1.1 form (3.1.2.2).
            var version = _decoder.Version == MqttProtocolVersion.Unknown ? MqttProtocolVersion.V311 : _decoder.Version;
            if (version == MqttProtocolVersion.V500 || e.Reason is ReasonCode.UnsupportedProtocolVersion or ReasonCode.ClientIdentifierNotValid)
            {
                await WriteDirectAsync(new ConnAckPacket { ReasonCode = e.Reason }, version);
            }

            return false;
        }

        _version = connect.ProtocolVersion;
        var clientId = connect.ClientId;
        var assigned = false;
        if (clientId.Length == 0)
        {
            // 3.1.3.1: an empty id with a persistent session is refused in 3.1.1; otherwise the server assigns one.
            if (!IsV5 && !connect.CleanStart)
            {
                return await RefuseAsync(ReasonCode.ClientIdentifierNotValid, "an empty client id needs a clean session");
            }

            clientId = "auto-" + Guid.NewGuid().ToString("N");
            assigned = true;
        }

        if (connect.Properties?.AuthenticationMethod is not null)
        {
            return await RefuseAsync(ReasonCode.BadAuthenticationMethod, "enhanced authentication is not supported");
        }

        // A cheap early answer when full, before the gate spends a password hash; admission below decides.
        if (server.ConnectionCount >= server.Options.MaxConnections)
        {
            return await RefuseAsync(ReasonCode.ServerBusy, "too many connections");
        }

        ConnectVerdict verdict;
        try
        {
            verdict = await server.Gate.ConnectAsync(connect, remote, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The application could not decide (its store is down): refuse as unavailable, not with a dropped socket (3.2.2.2).
            return await RefuseAsync(ReasonCode.ServerUnavailable, "the server cannot check this client now");
        }

        if (verdict.Code != ReasonCode.Success)
        {
            return await RefuseAsync(verdict.Code, verdict.Reason);
        }

        if (!server.TryAdmit(this))
        {
            return await RefuseAsync(ReasonCode.ServerBusy, "too many connections");
        }

        unauthenticated.Release();
        var client = new MqttClient(clientId, connect.UserName, remote, _version, verdict.Principal);
        if (server.AccountOf(client) is { } account)
        {
            var (code, quota) = account.TryConnect();
            if (code != ReasonCode.Success)
            {
                server.CountQuotaRefusal(code == ReasonCode.ConnectionRateExceeded ? "connect_rate" : "connections");
                return await RefuseAsync(code, quota);
            }

            client.Account = account;
        }

        var sessionKey = server.Gate.SessionKey(client);
        client.SessionKey = sessionKey;
        _client = client;
        _keepAlive = connect.KeepAliveSeconds;
        _clientReceiveMaximum = connect.Properties?.ReceiveMaximum ?? ushort.MaxValue;
        _clientMaxPacketSize = (int)Math.Min(int.MaxValue, connect.Properties?.MaximumPacketSize ?? int.MaxValue);
        if (server.Options.MaxPublishRate > 0)
        {
            _rate = new TokenBucket(server.Options.MaxPublishRate, server.Clock);
        }

        if (connect.Will is { } will)
        {
            if (!MqttTopic.IsValidTopicName(will.Topic) || !server.Gate.MayPublish(_client, will.Topic))
            {
                return await RefuseAsync(ReasonCode.NotAuthorized, "the will topic is not allowed for this client");
            }

            _will = ApplicationMessage.From(
                new PublishPacket { Topic = will.Topic, Payload = will.Payload, QoS = will.QoS, Retain = will.Retain, Properties = will.Properties },
                will.Topic, sessionKey, server.Now, _client.Account);
            _willDelay = will.Properties?.WillDelayInterval ?? 0;
        }

        var maxExpiry = MaxExpirySeconds;
        var expiry = IsV5
            ? Math.Min(connect.Properties?.SessionExpiryInterval ?? 0, maxExpiry)
            : connect.CleanStart ? 0 : maxExpiry;
        SessionClaim? claim = null;
        if (server.SessionReplica is { } replica)
        {
            try
            {
                claim = await replica.ClaimAsync(_client, sessionKey, _client.Account?.Name, connect.CleanStart, expiry, _client.Account?.Limits.PersistentSessions, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The cluster cannot say what it keeps for this client: better refused now than resumed without it.
                _client.Account?.Disconnected();
                _client.Account = null;
                return await RefuseAsync(ReasonCode.ServerUnavailable, "the server cannot open this session now");
            }
        }

        var superseded = false;
        var (session, present, previous, sessionQuota) = claim switch
        {
            { Quota: { } refused } => (null, false, null, refused),
            { Replicated: true } => OpenReplicated(claim, expiry, out superseded),
            _ => server.OpenSession(this, _client, connect.CleanStart, expiry),
        };
        if (sessionQuota is not null)
        {
            if (claim?.Quota is not null)
            {
                server.CountQuotaRefusal("sessions");
            }

            // The refused client gives its place back now, not when its socket is seen to close: its owner's
            // next connect may come first.
            _client.Account?.Disconnected();
            _client.Account = null;
            return await RefuseAsync(ReasonCode.QuotaExceeded, sessionQuota);
        }

        previous?.Abort(ReasonCode.SessionTakenOver);
        _session = session;

        var connAck = new ConnAckPacket { SessionPresent = present, ReasonCode = ReasonCode.Success };
        if (IsV5)
        {
            connAck.Properties = new MqttProperties
            {
                ReceiveMaximum = server.Options.ReceiveMaximum,
                MaximumPacketSize = (uint)server.Options.MaxPacketSize,
                TopicAliasMaximum = server.Options.TopicAliasMaximum,
                AssignedClientIdentifier = assigned ? clientId : null,
                SessionExpiryInterval = connect.Properties?.SessionExpiryInterval is { } asked && asked != expiry ? expiry : null,
                RetainAvailable = 1,
                WildcardSubscriptionAvailable = 1,
                SubscriptionIdentifierAvailable = 1,
                SharedSubscriptionAvailable = 1,
            };
        }

        await WriteDirectAsync(connAck, _version);
        if (session!.Replica is { } replicated)
        {
            if (superseded)
            {
                // A newer claim of the session is served here already: it stays, and this connection is taken over.
                replicated.TakeOver();
                return true;
            }

            // Its messages, queued in the cluster meanwhile, follow the CONNACK (the writer starts next).
            server.SessionReplica!.Attach(replicated);
        }

        return true;
    }

    private (MqttSession?, bool, MqttConnection?, string?) OpenReplicated(SessionClaim claim, uint expiry, out bool superseded)
    {
        (var session, var present, var previous, superseded) = server.OpenReplicatedSession(this, _client!, expiry, claim);
        return (session, present, previous, null);
    }

    private async Task<ConnectPacket> ReadConnectPacketAsync(CancellationToken ct)
    {
        while (await FillAsync(ct))
        {
            if (_decoder.TryDecode(_buffer.AsSpan(_start, _end - _start), out var packet, out var consumed))
            {
                _start += consumed;
                return (ConnectPacket)packet;
            }
        }

        throw new IOException("closed before CONNECT");
    }

    private async Task<bool> RefuseAsync(ReasonCode code, string? reason)
    {
        var refusal = new ConnAckPacket { ReasonCode = code };
        if (IsV5 && reason is not null)
        {
            refusal.Properties = new MqttProperties { ReasonString = reason };
        }

        await WriteDirectAsync(refusal, _version);
        return false;
    }

    private async Task WriteDirectAsync(MqttPacket packet, MqttProtocolVersion version)
    {
        // The writers' pooled buffer, not one of its own: every login writes a CONNACK (issue 19: bytes per CONNECT).
        var output = RentWriteBuffer();
        try
        {
            MqttEncoder.Encode(packet, version, output);
            await stream.WriteAsync(output.WrittenMemory);
            await stream.FlushAsync();
        }
        finally
        {
            ReturnWriteBuffer(output);
        }
    }

    private ValueTask HandleAsync(MqttPacket packet, CancellationToken ct)
    {
        switch (packet)
        {
            case PublishPacket publish:
                return HandlePublishAsync(publish, ct);
            case PubAckPacket ack:
                _session!.Acknowledge(ack.PacketId, DeliveryState.AwaitingPubAck, null);
                Settle();
                break;
            case PubRecPacket rec:
                if (rec.ReasonCode >= ReasonCode.UnspecifiedError)
                {
                    // 4.3.3: a failed PUBREC ends the exchange.
                    _session!.Acknowledge(rec.PacketId, DeliveryState.AwaitingPubRec, null);
                    WakeWriter();
                }
                else if (_session!.Acknowledge(rec.PacketId, DeliveryState.AwaitingPubRec, DeliveryState.AwaitingPubComp))
                {
                    Send(new PubRelPacket { PacketId = rec.PacketId });
                }
                else
                {
                    Send(new PubRelPacket { PacketId = rec.PacketId, ReasonCode = ReasonCode.PacketIdentifierNotFound });
                }

                break;
            case PubCompPacket comp:
                _session!.Acknowledge(comp.PacketId, DeliveryState.AwaitingPubComp, null);
                Settle();
                break;
            case PubRelPacket rel:
                bool known;
                lock (_session!.Gate)
                {
                    known = _session.RemoveIncomingQoS2(rel.PacketId);
                }

                Send(new PubCompPacket { PacketId = rel.PacketId, ReasonCode = known ? ReasonCode.Success : ReasonCode.PacketIdentifierNotFound });
                break;
            case SubscribePacket subscribe:
                return SubscribeAsync(subscribe, ct);
            case UnsubscribePacket unsubscribe:
                return UnsubscribeAsync(unsubscribe, ct);
            case PingReqPacket:
                Send(PingRespPacket.Instance);
                break;
            case DisconnectPacket disconnect:
                HandleDisconnect(disconnect);
                break;
            case ConnectPacket:
                throw new MqttProtocolException(ReasonCode.ProtocolError, "a second CONNECT on one connection (3.1.0-2)");
            default:
                throw new MqttProtocolException(ReasonCode.ProtocolError, $"a client may not send {packet.Type}");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>An acknowledgement frees a place in the client's receive window (an unknown id is harmless after a resend).</summary>
    private void Settle() => WakeWriter();

    private void HandleDisconnect(DisconnectPacket disconnect)
    {
        // 3.14.4: a normal DISCONNECT discards the will; 0x04 asks for it to be sent.
        if (disconnect.ReasonCode != ReasonCode.DisconnectWithWillMessage)
        {
            _will = null;
        }

        if (disconnect.Properties?.SessionExpiryInterval is { } expiry)
        {
            if (_session!.ExpirySeconds == 0 && expiry != 0)
            {
                throw new MqttProtocolException(ReasonCode.ProtocolError, "session expiry cannot be set at DISCONNECT when it was 0 at CONNECT (3.14.2.2.2)");
            }

            // The server's bound holds here as at CONNECT, or a client could make its session immortal (0xFFFFFFFF).
            _session.ExpirySeconds = Math.Min(expiry, MaxExpirySeconds);
        }

        _closeReason = ReasonCode.Success;
        _closing.Cancel();
    }
}
