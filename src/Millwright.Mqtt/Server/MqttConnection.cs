using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Server;

/// <summary>
/// One client's network connection: a read loop that decodes and handles packets in order, and a single
/// writer that sends control replies and the session's messages. An idle connection holds no read buffer
/// (it waits with a zero-byte read), which keeps ten thousand idle clients cheap.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification =
    "The semaphore and token source hold no OS handles here (no wait handle, no timer); other threads may still wake a closed connection, so they are not disposed.")]
internal sealed partial class MqttConnection(MqttServer server, Stream stream, EndPoint? remote)
{
    private const int InitialBufferSize = 4096;
    private const int MaxPooledWriteBuffers = 256;

    private static readonly ConcurrentBag<ArrayBufferWriter<byte>> WriteBuffers = [];

    // A client that sends faster than it reads its answers (PUBACKs, PINGRESPs) is not read further until
    // the writer has caught up, so that what it makes the server hold stays bounded.
    private const int MaxControlBacklog = 1024;

    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly List<Delivery> _sendable = [];
    // The decoder counts the whole packet, fixed header included, as Maximum Packet Size does (3.1.2.11.4, 3.2.2.3.6).
    private MqttDecoder _decoder = new(MqttProtocolVersion.Unknown, server.Options.MaxPacketSize);
    // Made at the first control packet: an idle connection that never needs one holds no queue.
    private ConcurrentQueue<MqttPacket>? _control;
    private int _controlCount;
    private TaskCompletionSource? _controlDrained;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private long _lastReceived = server.Now;
    private int _holdBacks;

    private MqttProtocolVersion _version;
    private MqttSession? _session;
    private MqttClient? _client;
    private ApplicationMessage? _will;
    private uint _willDelay;
    private ushort _keepAlive;
    private int _clientReceiveMaximum = ushort.MaxValue;
    private int _clientMaxPacketSize = int.MaxValue;
    private Dictionary<ushort, string>? _topicAliases;
    private TokenBucket? _rate;
    private ReasonCode? _closeReason;
    private string? _closeReasonString;

    private bool IsV5 => _version == MqttProtocolVersion.V500;

    /// <summary>Control packets queued for the writer and not yet encoded, for tests.</summary>
    internal int ControlBacklog => Volatile.Read(ref _controlCount);

    /// <param name="connectDeadline">Cancelled when the time to log in is up; disposed (its timer stopped) once CONNECT is answered.</param>
    /// <param name="unauthenticated">This socket's place among those not yet logged in, given back on acceptance.</param>
    /// <param name="serverStopping">Cancelled when the server stops.</param>
    public async Task RunAsync(CancellationTokenSource connectDeadline, MqttServer.UnauthenticatedPlace unauthenticated, CancellationToken serverStopping)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _closing.Token);
        var ct = lifetime.Token;
        Task? writer = null;
        try
        {
            bool accepted;
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(ct, connectDeadline.Token))
            {
                accepted = await ConnectAsync(unauthenticated, connecting.Token);
            }

            connectDeadline.Dispose();

            if (!accepted)
            {
                return;
            }

            writer = WriteLoopAsync(ct);
            await ReadLoopAsync(ct);
        }
        catch (MqttProtocolException e)
        {
            _closeReason ??= e.Reason;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or the server is stopping.
        }
        catch (Exception)
        {
            // The gate failed on this client's packet: close only this connection, telling a 5.0 client (4.13).
            _closeReason ??= ReasonCode.UnspecifiedError;
        }
        finally
        {
            // Before the writer stops: no acknowledgement is handed to it once the connection is closing.
            CloseAcks();
            await _closing.CancelAsync();
            if (writer is not null)
            {
                await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await SayGoodbyeAsync();
            if (_session is not null)
            {
                server.CloseSession(this, _session, _client, Volatile.Read(ref _will), _willDelay);
            }

            if (_client is not null)
            {
                _client.Account?.Disconnected();
                server.Gate.Disconnected(_client);
            }

            server.Unregister(this);
            ReturnBuffer();
        }
    }

    /// <summary>Called by the session when it has something to send; coalesces many wakes into one.</summary>
    public void WakeWriter()
    {
        _wake.Wake();
    }

    /// <summary>
    /// Closes the connection because its client lost the right to it (a revoked key or credential): 5.0
    /// clients get DISCONNECT with <paramref name="reason"/>, and no will is published for a client that
    /// may no longer publish.
    /// </summary>
    public void Revoke(ReasonCode reason, string? reasonString)
    {
        Volatile.Write(ref _will, null);
        Volatile.Write(ref _closeReasonString, reasonString);
        Abort(reason);
    }

    /// <summary>Closes the connection from outside: keep-alive expiry, session take-over, shutdown.</summary>
    public void Abort(ReasonCode reason = ReasonCode.ServerShuttingDown)
    {
        _closeReason ??= reason;

        // At once, not when the read loop ends: a session taken over must not gain QoS 2 ids from here.
        CloseAcks();
        _closing.Cancel();
    }

    public void CheckKeepAlive(long now)
    {
        // 3.1.2.10: no packet within one and a half times the keep-alive closes the connection; a client
        // the server itself holds back (publish rate, a waiting admission, acknowledgements it owes) is not silent.
        if (_keepAlive > 0 && Volatile.Read(ref _holdBacks) == 0 && now - Volatile.Read(ref _lastReceived) > _keepAlive * 1500L)
        {
            Abort(ReasonCode.KeepAliveTimeout);
        }
    }

    private static ArrayBufferWriter<byte> RentWriteBuffer() =>
        WriteBuffers.TryTake(out var buffer) ? buffer : new ArrayBufferWriter<byte>(InitialBufferSize);

    private static void ReturnWriteBuffer(ArrayBufferWriter<byte> buffer)
    {
        // A buffer that grew for a burst of large messages is left to the GC rather than kept.
        if (buffer.Capacity <= 64 * 1024 && WriteBuffers.Count < MaxPooledWriteBuffers)
        {
            buffer.ResetWrittenCount();
            WriteBuffers.Add(buffer);
        }
    }

    private void Send(MqttPacket packet)
    {
        Interlocked.Increment(ref _controlCount);
        (Volatile.Read(ref _control) ?? ControlQueue()).Enqueue(packet);
        WakeWriter();
    }

    private ConcurrentQueue<MqttPacket> ControlQueue()
    {
        Interlocked.CompareExchange(ref _control, new ConcurrentQueue<MqttPacket>(), null);
        return _control;
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        // One registration for the connection's life, not one per wait: closing wakes the writer, which then stops.
        using var wakeOnClose = ct.UnsafeRegister(static s => ((WakeSignal)s!).Wake(), _wake);
        // Encoding buffers are borrowed per burst and given back, so an idle connection holds none.
        ArrayBufferWriter<byte>? output = RentWriteBuffer();
        var resend = _session!.Unacknowledged();
        foreach (var delivery in resend)
        {
            // 4.4: on a resumed session, unacknowledged PUBLISHes go again with DUP set, and pending PUBRELs.
            MqttPacket packet = delivery.State == DeliveryState.AwaitingPubComp
                ? new PubRelPacket { PacketId = delivery.PacketId }
                : Dup(delivery.Message.ToPacket(delivery.QoS, delivery.Retain, delivery.PacketId, delivery.SubscriptionIds, server.Now, IsV5));
            MqttEncoder.Encode(packet, _version, output);
        }

        // Messages queued while the client was away (4.1) are already waiting: nothing else would wake us for them.
        WakeWriter();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (output.WrittenCount == 0)
                {
                    ReturnWriteBuffer(output);
                    output = null;
                    await _wake.WaitAsync();
                    if (ct.IsCancellationRequested)
                    {
                        break;
                    }

                    output = RentWriteBuffer();
                }

                while (Volatile.Read(ref _control) is { } controls && controls.TryDequeue(out var control))
                {
                    Interlocked.Decrement(ref _controlCount);
                    MqttEncoder.Encode(control, _version, output);
                }

                _sendable.Clear();
                _session.TakeSendable(_sendable, _clientReceiveMaximum, server.Now);
                var now = server.Now;
                foreach (var delivery in _sendable)
                {
                    var publish = delivery.Message.ToPacket(delivery.QoS, delivery.Retain, delivery.PacketId, delivery.SubscriptionIds, now, IsV5);
                    if (MqttEncoder.MeasureTotal(publish, _version) > _clientMaxPacketSize)
                    {
                        // 3.1.2.11.4: a message too large for the client is discarded as if delivered.
                        _session.Discard(delivery);
                        continue;
                    }

                    MqttEncoder.Encode(publish, _version, output);
                }

                if (output.WrittenCount > 0)
                {
                    await stream.WriteAsync(output.WrittenMemory, ct);
                    await stream.FlushAsync(ct);
                    output.ResetWrittenCount();
                }

                Interlocked.Exchange(ref _controlDrained, null)?.TrySetResult();
            }
        }
        finally
        {
            if (output is not null)
            {
                ReturnWriteBuffer(output);
            }
        }

        static PublishPacket Dup(PublishPacket packet)
        {
            packet.Dup = true;
            return packet;
        }
    }

    /// <summary>A 5.0 client is told why the server closes (4.13); a 3.1.1 client just sees the close.</summary>
    private async Task SayGoodbyeAsync()
    {
        if (IsV5 && _client is not null && _closeReason is { } reason && reason != ReasonCode.Success)
        {
            try
            {
                var output = new ArrayBufferWriter<byte>(64);
                var goodbye = new DisconnectPacket { ReasonCode = reason };
                if (Volatile.Read(ref _closeReasonString) is { } text)
                {
                    // A reason string is left out when it would make the packet larger than the client accepts (3.14.2.2.3).
                    goodbye.Properties = new MqttProperties { ReasonString = text };
                    if (MqttEncoder.MeasureTotal(goodbye, _version) > _clientMaxPacketSize)
                    {
                        goodbye.Properties = null;
                    }
                }

                MqttEncoder.Encode(goodbye, _version, output);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await stream.WriteAsync(output.WrittenMemory, timeout.Token);
                await stream.FlushAsync(timeout.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException)
            {
                // Best effort: the peer may already be gone.
            }
        }
    }
}
