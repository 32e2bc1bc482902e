using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Client;

/// <summary>
/// A small MQTT 3.1.1/5.0 client on the project's own codec, for the virtual factory, load generators and
/// tests. Publishes may be pipelined: each QoS 1/2 publish completes when its acknowledgement arrives.
/// One writer loop batches outgoing packets; one reader loop answers the server.
/// </summary>
public sealed class MqttClientConnection : IAsyncDisposable
{
    private const int MaxQueuedQoS0 = 10_000;
    private const int ReceiveBufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly MqttProtocolVersion _version;
    private readonly Channel<MqttPacket> _outgoing = Channel.CreateUnbounded<MqttPacket>(); // not SingleReader: that variant cannot count its items
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<ReasonCode>> _pending = new();
    private SemaphoreSlim? _sendQuota;
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<IReadOnlyList<ReasonCode>>> _subscriptions = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _reader;
    private readonly Task _writer;
    private readonly Task _pinger;
    private int _nextPacketId;

    private MqttClientConnection(Socket socket, MqttProtocolVersion version, ushort keepAlive, Action<PublishPacket>? onMessage, MqttDecoder decoder, byte[] leftover)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _version = version;
        OnMessage = onMessage;
        _reader = ReadLoopAsync(decoder, leftover);
        _writer = WriteLoopAsync();
        _pinger = PingLoopAsync(keepAlive);
    }

    /// <summary>Called on the reader loop for each message the server delivers; keep it short.</summary>
    public Action<PublishPacket>? OnMessage { get; }

    /// <summary>Completes when the connection ends, for whatever reason.</summary>
    public Task Completion => _reader;

    /// <summary>
    /// How many QoS 1 and 2 publishes the server takes unacknowledged (its CONNACK's Receive Maximum, 65,535 when
    /// absent or over 3.1.1). <see cref="PublishAsync"/> keeps within it (3.3.4): a publish past it waits for a slot.
    /// </summary>
    public ushort ServerReceiveMaximum { get; private init; } = ushort.MaxValue;

    public static async Task<MqttClientConnection> ConnectAsync(MqttClientOptions options, Action<PublishPacket>? onMessage = null, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        var socket = options.LocalAddress is { } local
            ? new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (options.LocalAddress is { } from)
            {
                socket.Bind(new System.Net.IPEndPoint(from, 0));
            }

            await socket.ConnectAsync(options.Host, options.Port, deadline.Token);
            var connect = new ConnectPacket
            {
                ProtocolVersion = options.Version,
                ClientId = options.ClientId,
                CleanStart = options.CleanStart,
                KeepAliveSeconds = options.KeepAliveSeconds,
                UserName = options.UserName,
                Password = options.Password is null ? null : Encoding.UTF8.GetBytes(options.Password),
                Will = options.Will,
                Properties = options.Version == MqttProtocolVersion.V500 && options.SessionExpirySeconds > 0
                    ? new MqttProperties { SessionExpiryInterval = options.SessionExpirySeconds }
                    : null,
            };
            var output = new ArrayBufferWriter<byte>(256);
            MqttEncoder.Encode(connect, options.Version, output);
            await socket.SendAsync(output.WrittenMemory, deadline.Token);

            // Constructed with the version it asked for, the decoder reads the server's packets in it.
            var decoder = new MqttDecoder(options.Version);
            var buffer = new byte[4096];
            var filled = 0;
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), deadline.Token);
                if (read == 0)
                {
                    throw new IOException("The server closed the connection before CONNACK.");
                }

                filled += read;
                if (decoder.TryDecode(buffer.AsSpan(0, filled), out var packet, out var consumed))
                {
                    var ack = packet as ConnAckPacket ?? throw new IOException($"Expected CONNACK, got {packet.Type}.");
                    if (ack.ReasonCode != ReasonCode.Success)
                    {
                        throw new MqttConnectException(ack.ReasonCode, ack.Properties?.ReasonString);
                    }

                    return new MqttClientConnection(socket, options.Version, options.KeepAliveSeconds, onMessage, decoder, buffer[consumed..filled])
                    {
                        ServerReceiveMaximum = ack.Properties?.ReceiveMaximum ?? ushort.MaxValue,
                    };
                }
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Publishes; for QoS 1 and 2 completes with the server's reason code once acknowledged.</summary>
    public async ValueTask<ReasonCode> PublishAsync(string topic, ReadOnlyMemory<byte> payload, QualityOfService qos = QualityOfService.AtMostOnce, bool retain = false, CancellationToken cancellationToken = default)
    {
        var packet = new PublishPacket { Topic = topic, Payload = payload, QoS = qos, Retain = retain };
        if (qos == QualityOfService.AtMostOnce)
        {
            // QoS 0 has no acknowledgement to pace it; a sender faster than the socket waits here instead.
            while (_outgoing.Reader.Count > MaxQueuedQoS0)
            {
                await Task.Delay(1, cancellationToken);
            }

            await _outgoing.Writer.WriteAsync(packet, cancellationToken);
            return ReasonCode.Success;
        }

        // MQTT 5.0 3.3.4: no more QoS 1 and 2 publishes unacknowledged than the server's Receive Maximum, or it
        // disconnects (0x93). A publish waits here for a free slot; its slot is free again when it is acknowledged.
        var quota = SendQuota;
        await quota.WaitAsync(cancellationToken);
        try
        {
            packet.PacketId = NextPacketId();
            var done = new TaskCompletionSource<ReasonCode>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[packet.PacketId] = done;
            await _outgoing.Writer.WriteAsync(packet, cancellationToken);
            return await done.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            quota.Release();
        }
    }

    private SemaphoreSlim SendQuota
    {
        get
        {
            if (Volatile.Read(ref _sendQuota) is { } quota)
            {
                return quota;
            }

            var made = new SemaphoreSlim(ServerReceiveMaximum, ServerReceiveMaximum);
            if (Interlocked.CompareExchange(ref _sendQuota, made, null) is { } other)
            {
                made.Dispose();
                return other;
            }

            return made;
        }
    }

    public async Task<IReadOnlyList<ReasonCode>> SubscribeAsync(string filter, QualityOfService qos, CancellationToken cancellationToken = default)
    {
        var id = NextPacketId();
        var done = new TaskCompletionSource<IReadOnlyList<ReasonCode>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _subscriptions[id] = done;
        await _outgoing.Writer.WriteAsync(new SubscribePacket { PacketId = id, Subscriptions = [new Subscription(filter, qos)] }, cancellationToken);
        return await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends DISCONNECT (normal: the will is discarded) and closes.</summary>
    public async Task DisconnectAsync()
    {
        _outgoing.Writer.TryWrite(new DisconnectPacket());
        _outgoing.Writer.TryComplete();
        await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await DisposeAsync();
    }

    private ushort NextPacketId() => (ushort)((Interlocked.Increment(ref _nextPacketId) % ushort.MaxValue) + 1);

    private async Task ReadLoopAsync(MqttDecoder decoder, byte[] leftover)
    {
        var buffer = new byte[Math.Max(ReceiveBufferSize, leftover.Length * 2)];
        leftover.CopyTo(buffer, 0);
        int start = 0, end = leftover.Length;
        try
        {
            while (true)
            {
                while (decoder.TryDecode(buffer.AsSpan(start, end - start), out var packet, out var consumed))
                {
                    start += consumed;
                    Handle(packet);
                }

                if (start == end)
                {
                    start = end = 0;
                }
                else if (end == buffer.Length)
                {
                    var length = end - start;
                    var target = start > 0 ? buffer : new byte[buffer.Length * 2];
                    Buffer.BlockCopy(buffer, start, target, 0, length);
                    buffer = target;
                    start = 0;
                    end = length;
                }

                var read = await _stream.ReadAsync(buffer.AsMemory(end), _closing.Token);
                if (read == 0)
                {
                    break;
                }

                end += read;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or MqttProtocolException)
        {
            // The connection is over; pending publishes fail below.
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new IOException("The connection closed before the acknowledgement."));
            }

            foreach (var pending in _subscriptions.Values)
            {
                pending.TrySetException(new IOException("The connection closed before SUBACK."));
            }

            _outgoing.Writer.TryComplete();
        }
    }

    private void Handle(MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                OnMessage?.Invoke(publish);
                if (publish.QoS == QualityOfService.AtLeastOnce)
                {
                    _outgoing.Writer.TryWrite(new PubAckPacket { PacketId = publish.PacketId });
                }
                else if (publish.QoS == QualityOfService.ExactlyOnce)
                {
                    _outgoing.Writer.TryWrite(new PubRecPacket { PacketId = publish.PacketId });
                }

                break;
            case PubRelPacket rel:
                _outgoing.Writer.TryWrite(new PubCompPacket { PacketId = rel.PacketId });
                break;
            case PubAckPacket ack:
                Complete(ack.PacketId, ack.ReasonCode);
                break;
            case PubRecPacket rec when rec.ReasonCode >= ReasonCode.UnspecifiedError:
                Complete(rec.PacketId, rec.ReasonCode);
                break;
            case PubRecPacket rec:
                _outgoing.Writer.TryWrite(new PubRelPacket { PacketId = rec.PacketId });
                break;
            case PubCompPacket comp:
                Complete(comp.PacketId, comp.ReasonCode);
                break;
            case SubAckPacket subAck when _subscriptions.TryRemove(subAck.PacketId, out var waiting):
                waiting.TrySetResult(subAck.ReasonCodes);
                break;
            case DisconnectPacket:
                _closing.Cancel();
                break;
        }
    }

    private void Complete(ushort packetId, ReasonCode code)
    {
        if (_pending.TryRemove(packetId, out var waiting))
        {
            waiting.TrySetResult(code);
        }
    }

    private async Task WriteLoopAsync()
    {
        var output = new ArrayBufferWriter<byte>(4096);
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_closing.Token))
            {
                while (output.WrittenCount < 60_000 && reader.TryRead(out var packet))
                {
                    MqttEncoder.Encode(packet, _version, output);
                }

                await _stream.WriteAsync(output.WrittenMemory, _closing.Token);
                output.ResetWrittenCount();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Closed.
        }
    }

    private async Task PingLoopAsync(ushort keepAlive)
    {
        if (keepAlive == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(keepAlive * 0.75));
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token))
            {
                _outgoing.Writer.TryWrite(PingReqPacket.Instance);
            }
        }
        catch (OperationCanceledException)
        {
            // Closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _outgoing.Writer.TryComplete();
        await _stream.DisposeAsync();
        await Task.WhenAll(_reader, _writer, _pinger).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _closing.Dispose();
        _socket.Dispose();
    }
}
