using System.Collections.Concurrent;
using Millwright.OpcUa.Crypto;
using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Services;

namespace Millwright.OpcUa.Transport;

/// <summary>
/// A SecureChannel (OPC 10000-6 6.7, 10000-4 5.5) over one UA-TCP connection, with security policy None or, given a
/// <see cref="ChannelSecurity"/>, Basic256Sha256 (Sign or SignAndEncrypt): OPN to open
/// and renew, MSG requests split into chunks no larger than the server's receive buffer, responses matched by
/// request id (so Publish requests may wait while others pass), CLO to close. One loop reads; a broken connection
/// fails every waiting request with the same protocol exception and completes <see cref="Closed"/>.
/// </summary>
internal sealed class SecureChannel : IAsyncDisposable
{
    private const uint RequestedLifetimeMs = 600_000;

    private readonly UaTcpConnection _connection;
    private readonly ChunkAssembler _assembler;
    private readonly TimeProvider _time;
    private readonly ChannelSecurity? _security;
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<(TcpMessageType, byte[])>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _renewLock = new(1, 1);
    private uint _sequence;
    private int _requestId;
    private uint _channelId;
    private uint _tokenId;
    private DateTimeOffset _renewAt;
    private Task? _reading;

    private SecureChannel(UaTcpConnection connection, TimeProvider time, ChannelSecurity? security)
    {
        _connection = connection;
        _security = security;
        _assembler = new ChunkAssembler(connection.Local);
        _time = time;
    }

    /// <summary>Completes when the channel stops: null after a close, else the exception that broke it.</summary>
    public Task<Exception?> Closed => _closed.Task;

    public TransportLimits RemoteLimits => _connection.Remote;

    /// <summary>The channel's Basic256Sha256 keys and certificates; null under policy None.</summary>
    public ChannelSecurity? Security => _security;

    public static async Task<SecureChannel> OpenAsync(Uri endpoint, TransportLimits limits, TimeProvider time,
        Func<string, int, CancellationToken, Task<System.Net.Sockets.Socket>>? connector, CancellationToken ct, ChannelSecurity? security = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var connection = await UaTcpConnection.OpenAsync(endpoint.Host, endpoint.Port > 0 ? endpoint.Port : 4840, endpoint.OriginalString, limits, connector, ct);
        var channel = new SecureChannel(connection, time, security);
        channel._reading = Task.Run(channel.ReadLoopAsync, CancellationToken.None);
        try
        {
            await channel.OpenOrRenewAsync(renew: false, ct);
            return channel;
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one service request (its body starts with the request's encoding id) and returns the response body.</summary>
    public async Task<byte[]> RequestAsync(byte[] body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (_time.GetUtcNow() >= _renewAt)
        {
            await RenewAsync(ct);
        }

        var (_, response) = await SendAsync(TcpMessageType.Message, body, ct);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested && _channelId != 0 && !Closed.IsCompleted)
        {
            try
            {
                // CLO has no response (6.7.3); the server closes the socket after it.
                var w = new UaWriter();
                w.WriteNodeId(new NodeId(0, EncodingIds.CloseSecureChannelRequest));
                RequestHeader.Write(w, NodeId.Null, _time.GetUtcNow().UtcDateTime, 0, TimeSpan.Zero);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _connection.WriteAsync(Chunks(TcpMessageType.Close, w.ToArray(), NextRequestId()), timeout.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // Closing anyway.
            }
        }

        await _stop.CancelAsync();
        await _connection.DisposeAsync();
        if (_reading is not null)
        {
            await _reading;
        }

        Fail(null);
        _stop.Dispose();
        _renewLock.Dispose();
        _security?.Dispose();
    }

    private async Task RenewAsync(CancellationToken ct)
    {
        await _renewLock.WaitAsync(ct);
        try
        {
            if (_time.GetUtcNow() >= _renewAt)
            {
                await OpenOrRenewAsync(renew: true, ct);
            }
        }
        finally
        {
            _renewLock.Release();
        }
    }

    // OpenSecureChannelRequest: header, ClientProtocolVersion, RequestType (0 issue, 1 renew), SecurityMode,
    // ClientNonce, RequestedLifetime (10000-4 5.5.2). The token is renewed at 75% of its revised lifetime (6.7.4);
    // each token brings fresh nonces and so fresh symmetric keys.
    private async Task OpenOrRenewAsync(bool renew, CancellationToken ct)
    {
        var w = new UaWriter();
        w.WriteNodeId(new NodeId(0, EncodingIds.OpenSecureChannelRequest));
        RequestHeader.Write(w, NodeId.Null, _time.GetUtcNow().UtcDateTime, 0, TimeSpan.FromSeconds(10));
        w.WriteUInt32(0);
        w.WriteEnum(renew ? 1 : 0);
        byte[] clientNonce = _security is null ? [] : ChannelSecurity.NewNonce();
        w.WriteEnum(_security?.SecurityModeValue ?? 1);
        w.WriteByteString(clientNonce);
        w.WriteUInt32(RequestedLifetimeMs);
        var (_, body) = await SendAsync(TcpMessageType.Open, w.ToArray(), ct);
        var (r, _) = RequestHeader.ReadResponse(body, EncodingIds.OpenSecureChannelResponse, "OpenSecureChannel");
        r.ReadUInt32(); // server protocol version
        var channelId = r.ReadUInt32();
        var tokenId = r.ReadUInt32();
        r.ReadDateTime();
        var lifetime = r.ReadUInt32();
        var serverNonce = r.ReadByteString();
        if (channelId == 0 || (renew && channelId != _channelId))
        {
            throw new OpcUaProtocolException(StatusCode.BadSecureChannelIdInvalid, $"the server gave secure channel id {channelId}");
        }

        _security?.ActivateToken(tokenId, clientNonce, serverNonce);
        _channelId = channelId;
        _tokenId = tokenId;
        _renewAt = _time.GetUtcNow() + TimeSpan.FromMilliseconds(Math.Max(lifetime, 1000) * 0.75);
    }

    private async Task<(TcpMessageType, byte[])> SendAsync(TcpMessageType type, byte[] body, CancellationToken ct)
    {
        var requestId = NextRequestId();
        var waiter = new TaskCompletionSource<(TcpMessageType, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = waiter;
        try
        {
            if (Closed.IsCompleted)
            {
                throw await Closed ?? new OpcUaProtocolException(StatusCode.BadConnectionClosed, "the secure channel is closed");
            }

            await _connection.WriteAsync(Chunks(type, body, requestId), ct);
            return await waiter.Task.WaitAsync(ct);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            throw new OpcUaProtocolException(StatusCode.BadConnectionClosed, $"the connection broke: {e.Message}", e);
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    /// <summary>Splits a message into chunks that fit the server's receive buffer; refuses one above its MaxMessageSize.</summary>
    private List<byte[]> Chunks(TcpMessageType type, byte[] body, uint requestId)
    {
        var remote = _connection.Remote;
        if (remote.MaxMessageSize != 0 && body.Length > remote.MaxMessageSize)
        {
            throw new OpcUaProtocolException(StatusCode.BadTcpMessageTooLarge, $"a request of {body.Length} bytes (the server takes {remote.MaxMessageSize})");
        }

        // OPN is never split (6.7.2.1 allows it, but its asymmetric header is small and servers expect one chunk).
        var room = type == TcpMessageType.Open ? Math.Max(body.Length, 1)
            : _security?.MaxSymmetricBody(remote.ReceiveBufferSize) ?? (int)remote.ReceiveBufferSize - SecureChunk.SymmetricOverhead;
        var count = Math.Max(1, (body.Length + room - 1) / room);
        if (remote.MaxChunkCount != 0 && count > remote.MaxChunkCount)
        {
            throw new OpcUaProtocolException(StatusCode.BadTcpMessageTooLarge, $"a request of {count} chunks (the server takes {remote.MaxChunkCount})");
        }

        var chunks = new List<byte[]>(count);
        lock (_pending)
        {
            for (var i = 0; i < count; i++)
            {
                var part = body.AsSpan(i * room, Math.Min(room, body.Length - (i * room)));
                var chunkType = i == count - 1 ? TcpChunk.Final : TcpChunk.Intermediate;
                chunks.Add(_security is null ? SecureChunk.Write(type, chunkType, _channelId, _tokenId, NextSequence(), requestId, part)
                    : type == TcpMessageType.Open ? _security.WriteOpen(chunkType, _channelId, NextSequence(), requestId, part)
                    : _security.WriteSymmetric(type, chunkType, _channelId, NextSequence(), requestId, part));
            }
        }

        return chunks;
    }

    // Sequence numbers start below 1024 and wrap to below 1024 before UInt32.MaxValue - 1024 (6.7.2.4).
    private uint NextSequence() => _sequence = _sequence >= uint.MaxValue - 1024 ? 1 : _sequence + 1;

    private uint NextRequestId() => (uint)Interlocked.Increment(ref _requestId);

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var chunk = await _connection.ReadAsync(_stop.Token);
                if (chunk.Type == TcpMessageType.Error)
                {
                    throw TcpFraming.ParseError(chunk.Body, "the server closed the channel with an error");
                }

                if (chunk.Type is not (TcpMessageType.Message or TcpMessageType.Open or TcpMessageType.Close))
                {
                    throw new OpcUaProtocolException(StatusCode.BadTcpMessageTypeInvalid, $"a {chunk.Type} message on an open channel");
                }

                var secure = _security is null ? SecureChunk.Parse(chunk) : _security.Read(chunk);
                if (_channelId != 0 && secure.ChannelId != _channelId)
                {
                    throw new OpcUaProtocolException(StatusCode.BadTcpSecureChannelUnknown, $"a chunk for channel {secure.ChannelId} on channel {_channelId}");
                }

                if (_assembler.Add(secure) is { } message && _pending.TryGetValue(message.RequestId, out var waiter))
                {
                    if (message.Abort is { } abort)
                    {
                        waiter.TrySetException(abort);
                    }
                    else
                    {
                        waiter.TrySetResult((message.Type, message.Body!));
                    }
                }
            }

            Fail(null);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            Fail(null);
        }
        catch (OpcUaProtocolException e)
        {
            Fail(e);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Fail(new OpcUaProtocolException(StatusCode.BadConnectionClosed, $"the connection broke: {e.Message}", e));
        }
    }

    private void Fail(Exception? error)
    {
        _closed.TrySetResult(error);
        var reason = error ?? new OpcUaProtocolException(StatusCode.BadConnectionClosed, "the secure channel was closed");
        foreach (var waiter in _pending.Values)
        {
            waiter.TrySetException(reason);
        }
    }
}
