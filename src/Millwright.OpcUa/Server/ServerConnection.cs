using System.Net.Sockets;
using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Services;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa.Server;

/// <summary>
/// One client of <see cref="OpcUaServer"/>: Hello/Acknowledge (OPC 10000-6 7.1), a secure channel under policy None
/// (6.7), one anonymous session, and the services a machine's client uses: Read, Write (refused: the values are the
/// machine's), Call, CreateSubscription, CreateMonitoredItems, Publish, Republish, DeleteSubscriptions, CloseSession.
/// Anything else is a ServiceFault with BadServiceUnsupported. Requests are read by one loop; a Publish waits on its
/// own so a Call is answered meanwhile; responses are written under one lock.
/// </summary>
internal sealed partial class ServerConnection(Socket socket, ServerAddressSpace space, string endpointUrl, uint channelId) : IAsyncDisposable
{
    private static readonly TransportLimits Limits = new(ReceiveBufferSize: 65536, SendBufferSize: 65536, MaxMessageSize: 4 << 20, MaxChunkCount: 64);
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly ChunkAssembler _assembler = new(Limits);
    private readonly Dictionary<uint, ServerSubscription> _subscriptions = [];
    private uint _sequence;
    private uint _tokenId;
    private NodeId? _authenticationToken;
    private bool _activated;
    private uint _nextSubscription;

    public async Task RunAsync(CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _closed.Token);
        try
        {
            var (type, chunkType, body) = await ReadMessageAsync(linked.Token);
            if (type != TcpMessageType.Hello)
            {
                await SendErrorAsync(StatusCode.BadTcpMessageTypeInvalid, "expected Hello", linked.Token);
                return;
            }

            await SendAsync(Acknowledge(), linked.Token);
            while (!linked.IsCancellationRequested)
            {
                (type, chunkType, body) = await ReadMessageAsync(linked.Token);
                if (type == TcpMessageType.Close)
                {
                    return;
                }

                if (type is not (TcpMessageType.Open or TcpMessageType.Message))
                {
                    await SendErrorAsync(StatusCode.BadTcpMessageTypeInvalid, $"unexpected {type}", linked.Token);
                    return;
                }

                var chunk = SecureChunk.Parse(new TcpChunk(type, chunkType, body));
                if (_assembler.Add(chunk) is not { Body: { } request } whole)
                {
                    continue; // an intermediate chunk, or an aborted message
                }

                if (type == TcpMessageType.Open)
                {
                    await OpenChannelAsync(whole.RequestId, request, linked.Token);
                }
                else if (chunk.ChannelId != channelId || chunk.TokenId != _tokenId)
                {
                    await SendErrorAsync(StatusCode.BadSecureChannelIdInvalid, "unknown channel or token", linked.Token);
                    return;
                }
                else
                {
                    await ServeAsync(whole.RequestId, request, linked.Token);
                }
            }
        }
        catch (Exception e) when (e is OpcUaProtocolException or IOException or SocketException or OperationCanceledException or EndOfStreamException)
        {
            // The client went away, broke the protocol or the server stops: the connection ends; the client reconnects.
        }
        finally
        {
            await _closed.CancelAsync();
        }
    }

    private async Task<(TcpMessageType Type, byte Chunk, byte[] Body)> ReadMessageAsync(CancellationToken ct)
    {
        var header = new byte[TcpFraming.HeaderSize];
        await _stream.ReadExactlyAsync(header, ct);
        var (type, chunk, length) = TcpFraming.ParseHeader(header, Limits.ReceiveBufferSize);
        var body = new byte[length];
        await _stream.ReadExactlyAsync(body, ct);
        return (type, chunk, body);
    }

    private static byte[] Acknowledge()
    {
        var w = new UaWriter();
        TcpFraming.WriteHeader(w, TcpMessageType.Acknowledge, TcpChunk.Final);
        w.WriteUInt32(0);
        w.WriteUInt32(Limits.ReceiveBufferSize);
        w.WriteUInt32(Limits.SendBufferSize);
        w.WriteUInt32(Limits.MaxMessageSize);
        w.WriteUInt32(Limits.MaxChunkCount);
        return TcpFraming.Finish(w);
    }

    /// <summary>OpenSecureChannel, issue or renew (6.7.4): a new token each time; policy None has no nonces or keys.</summary>
    private Task OpenChannelAsync(uint requestId, byte[] body, CancellationToken ct)
    {
        var r = new UaReader(body);
        var type = r.ReadNodeId();
        if (type != new NodeId(0, EncodingIds.OpenSecureChannelRequest))
        {
            throw new OpcUaProtocolException($"an OPN carrying {type}");
        }

        var handle = ReadRequestHeader(r).Handle;
        _tokenId++;
        var w = ResponseStart(EncodingIds.OpenSecureChannelResponse, handle, StatusCode.Good);
        w.WriteUInt32(0);
        w.WriteUInt32(channelId);
        w.WriteUInt32(_tokenId);
        w.WriteDateTime(DateTime.UtcNow);
        w.WriteUInt32(600_000);
        w.WriteByteString([]);
        return SendAsync(SecureChunk.Write(TcpMessageType.Open, TcpChunk.Final, channelId, 0, ++_sequence, requestId, w.ToArray()), ct);
    }

    private async Task ServeAsync(uint requestId, byte[] body, CancellationToken ct)
    {
        var r = new UaReader(body);
        var type = r.ReadNodeId();
        var header = ReadRequestHeader(r);
        var service = type is { NamespaceIndex: 0, Type: NodeIdType.Numeric } ? type.Numeric : 0;
        if (service is not (EncodingIds.CreateSessionRequest or EncodingIds.ActivateSessionRequest)
            && (!_activated || header.Token != _authenticationToken))
        {
            await FaultAsync(requestId, header.Handle, StatusCode.BadSessionIdInvalid, ct);
            return;
        }

        UaWriter? response = service switch
        {
            EncodingIds.CreateSessionRequest => CreateSession(header.Handle),
            EncodingIds.ActivateSessionRequest => ActivateSession(r, header),
            EncodingIds.CloseSessionRequest => CloseSession(header.Handle),
            EncodingIds.ReadRequest => Read(r, header.Handle),
            EncodingIds.WriteRequest => Write(r, header.Handle),
            EncodingIds.CallRequest => Call(r, header.Handle),
            EncodingIds.CreateSubscriptionRequest => CreateSubscription(r, header.Handle),
            EncodingIds.CreateMonitoredItemsRequest => CreateMonitoredItems(r, header.Handle),
            EncodingIds.DeleteSubscriptionsRequest => DeleteSubscriptions(r, header.Handle),
            EncodingIds.RepublishRequest => ResponseStart(EncodingIds.RepublishResponse, header.Handle, StatusCode.BadMessageNotAvailable),
            EncodingIds.PublishRequest => null,
            _ => ResponseStart(EncodingIds.ServiceFault, header.Handle, StatusCode.BadServiceUnsupported),
        };
        if (response is not null)
        {
            await SendMessageAsync(requestId, response, ct);
            return;
        }

        // Publish is answered when its subscription has changes or a keep-alive is due; the read loop goes on.
        var acknowledgements = r.ReadList(x => (x.ReadUInt32(), x.ReadUInt32()));
        _ = PublishAsync(requestId, header.Handle, acknowledgements.Count, ct);
    }

    private async Task PublishAsync(uint requestId, uint handle, int acknowledgements, CancellationToken ct)
    {
        try
        {
            var subscription = _subscriptions.Values.FirstOrDefault();
            if (subscription is null)
            {
                await SendMessageAsync(requestId, ResponseStart(EncodingIds.ServiceFault, handle, StatusCode.BadNoSubscription), ct);
                return;
            }

            var message = await subscription.NextMessageAsync(space, ct);
            var w = ResponseStart(EncodingIds.PublishResponse, handle, StatusCode.Good);
            w.WriteUInt32(subscription.Id);
            w.WriteArray<uint>([], (x, n) => x.WriteUInt32(n)); // no retransmission queue: Republish answers BadMessageNotAvailable
            w.WriteBoolean(false);
            message(w);
            // Every acknowledgement is taken: nothing is kept for a Republish.
            w.WriteArray(Enumerable.Repeat(StatusCode.Good, acknowledgements).ToList(), (x, s) => x.WriteStatusCode(s));
            w.WriteArray<DiagnosticInfo>([], (_, _) => { });
            await SendMessageAsync(requestId, w, ct);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended while the Publish waited.
        }
    }

    private Task FaultAsync(uint requestId, uint handle, StatusCode status, CancellationToken ct) =>
        SendMessageAsync(requestId, ResponseStart(EncodingIds.ServiceFault, handle, status), ct);

    private static (NodeId Token, uint Handle) ReadRequestHeader(UaReader r)
    {
        var token = r.ReadNodeId();
        r.ReadDateTime();
        var handle = r.ReadUInt32();
        r.ReadUInt32(); // return diagnostics
        r.ReadString(); // audit entry
        r.ReadUInt32(); // timeout hint
        r.ReadExtensionObject();
        return (token, handle);
    }

    /// <summary>The encoding id and response header (10000-4 7.33): timestamp, handle, result, no diagnostics or strings.</summary>
    private static UaWriter ResponseStart(uint responseId, uint handle, StatusCode result)
    {
        var w = new UaWriter();
        w.WriteNodeId(new NodeId(0, responseId));
        w.WriteDateTime(DateTime.UtcNow);
        w.WriteUInt32(handle);
        w.WriteStatusCode(result);
        w.WriteByte(0);
        w.WriteArray<string>([], (x, s) => x.WriteString(s));
        w.WriteExtensionObject(ExtensionObject.Null);
        return w;
    }

    /// <summary>A response in MSG chunks that fit the client's receive buffer (we announce as much as we take).</summary>
    private async Task SendMessageAsync(uint requestId, UaWriter response, CancellationToken ct)
    {
        var payload = response.ToArray();
        var room = (int)Limits.SendBufferSize - SecureChunk.SymmetricOverhead;
        await _send.WaitAsync(ct);
        try
        {
            for (var offset = 0; offset < payload.Length || offset == 0; offset += room)
            {
                var last = offset + room >= payload.Length;
                var part = payload.AsSpan(offset, Math.Min(room, payload.Length - offset));
                await _stream.WriteAsync(SecureChunk.Write(TcpMessageType.Message, last ? TcpChunk.Final : TcpChunk.Intermediate, channelId, _tokenId, ++_sequence, requestId, part), ct);
                if (last)
                {
                    break;
                }
            }
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task SendAsync(byte[] bytes, CancellationToken ct)
    {
        await _send.WaitAsync(ct);
        try
        {
            await _stream.WriteAsync(bytes, ct);
        }
        finally
        {
            _send.Release();
        }
    }

    private Task SendErrorAsync(StatusCode status, string reason, CancellationToken ct)
    {
        var w = new UaWriter();
        TcpFraming.WriteHeader(w, TcpMessageType.Error, TcpChunk.Final);
        w.WriteStatusCode(status);
        w.WriteString(reason);
        return SendAsync(TcpFraming.Finish(w), ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Dispose();
        }

        await _stream.DisposeAsync();
        _send.Dispose();
        _closed.Dispose();
    }
}
