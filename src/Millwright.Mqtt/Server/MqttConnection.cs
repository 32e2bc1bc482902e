using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Server;

/// <summary>
/// One client's network connection: a read loop that decodes and handles packets in order, and a single
/// writer that sends control replies and the session's messages. An idle connection holds no read buffer (it
/// waits with a zero-byte read) and no writer (a flush runs only when there is something to send), which keeps
/// many thousand idle clients cheap.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification =
    "The token source holds no OS handle here (no wait handle, no timer); other threads may still abort a closed connection, so it is not disposed.")]
internal sealed partial class MqttConnection(MqttServer server, Stream stream, EndPoint? remote) : IThreadPoolWorkItem, IParkedReader
{
    private const int InitialBufferSize = 4096;
    private const int MaxPooledWriteBuffers = 256;

    private static readonly ConcurrentBag<ArrayBufferWriter<byte>> WriteBuffers = [];

    // A client that sends faster than it reads its answers (PUBACKs, PINGRESPs) is not read further until
    // the writer has caught up, so that what it makes the server hold stays bounded.
    private const int MaxControlBacklog = 1024;

    // Deliveries taken from the session for one round of one flush, which runs without awaiting in between: one list per thread.
    [ThreadStatic]
    private static List<Delivery>? t_sendable;

    private readonly CancellationTokenSource _closing = new();
    // The connect phase's deadline while that phase runs, so that an abort also ends what the phase awaits (the gate,
    // the cluster's claim); null after it. The phase waits on the deadline's token alone, not on one linked to this
    // connection's: a linked token leaves a registration on _closing that every idle client would keep (issue 19).
    private CancellationTokenSource? _connectDeadline;
    // Not readonly: its methods change it in place.
    private WriteTurn _turn;
    private bool _resent;
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

    /// <summary>True while no flush runs: an idle connection keeps no writer, for tests.</summary>
    internal bool WriterIsFree => _turn.IsFree;

    /// <summary>True while the connection waits for its client's next bytes in the broker's readiness loop, for tests.</summary>
    internal bool IsParked => stream is EpollSocketStream { IsParked: true };

    /// <summary>The socket's handle when it reads through the readiness loop; null on .NET's socket operations (TLS, parking off, other systems), for tests.</summary>
    internal System.Net.Sockets.SafeSocketHandle? ParkableHandle => (stream as EpollSocketStream)?.Handle;

    /// <summary>Control packets queued for the writer and not yet encoded, for tests.</summary>
    internal int ControlBacklog => Volatile.Read(ref _controlCount);

    /// <summary>
    /// Serves the connection: the connect phase, then the read loop (<see cref="ReadAndCloseAsync"/>), which closes the
    /// connection when it ends. The returned task ends when the connection closes, or earlier when its socket parks in
    /// the readiness loop: a parked connection holds no suspended frame at all, and its reads start again on wake.
    /// </summary>
    /// <param name="connectDeadline">Cancelled when the time to log in is up; disposed (its timer stopped) once CONNECT is answered.</param>
    /// <param name="unauthenticated">This socket's place among those not yet logged in, given back when the connect phase ends.</param>
    /// <param name="serverStopping">Cancelled when the server stops.</param>
    public async Task RunAsync(CancellationTokenSource connectDeadline, MqttServer.UnauthenticatedPlace unauthenticated, CancellationToken serverStopping)
    {
        // The server's stop aborts every admitted connection (and each one admitted while it stops aborts itself
        // below), so a connection needs only its own token: no token linked to the server's, which would cost two
        // registrations per idle client. A parked read is ended by Abort itself, so it costs no registration either.
        (stream as EpollSocketStream)?.CancelledByOwner(_closing.Token);
        var connected = false;
        try
        {
            if (!await ConnectWithinDeadlineAsync(connectDeadline, unauthenticated, serverStopping))
            {
                return;
            }

            if (serverStopping.IsCancellationRequested)
            {
                Abort();
                return;
            }

            // The connect phase held the writer's turn; the first flush sends what a resumed session owes and
            // what was queued meanwhile.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            connected = true;
        }
        catch (Exception e)
        {
            NoteFailure(e);
        }
        finally
        {
            if (!connected)
            {
                await CloseAsync(writing: false);
            }
        }

        // A connect phase that failed was closed above: reading on would close it a second time (its account's
        // connection count, its will, its kept session).
        if (connected)
        {
            await ReadAndCloseAsync();
        }
    }

    /// <summary>
    /// Runs the read loop until the connection ends, then closes it; or until its socket parks, leaving the rest to
    /// the wake (<see cref="IParkedReader.Resume"/>), which calls this again.
    /// </summary>
    private async Task ReadAndCloseAsync()
    {
        try
        {
            if (await ReadLoopAsync(_closing.Token))
            {
                return;
            }
        }
        catch (Exception e)
        {
            NoteFailure(e);
        }

        await CloseAsync(writing: true);
    }

    void IParkedReader.Resume() => _ = ReadAndCloseAsync();

    /// <summary>Why the connection ends, from what ended its reading.</summary>
    private void NoteFailure(Exception e)
    {
        switch (e)
        {
            case MqttProtocolException protocol:
                _closeReason ??= protocol.Reason;
                break;
            case IOException or System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException:
                // The peer went away or the server is stopping.
                break;
            default:
                // The gate failed on this client's packet: close only this connection, telling a 5.0 client (4.13).
                _closeReason ??= ReasonCode.UnspecifiedError;
                break;
        }
    }

    /// <summary>Ends the connection: acknowledgements and writer stopped, a 5.0 client told why, session and place given back, stream closed.</summary>
    private async Task CloseAsync(bool writing)
    {
        // Before the writer stops: no acknowledgement is handed to it once the connection is closing.
        CloseAcks();
        try
        {
            await _closing.CancelAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An application callback on the token failed: the cancel took effect, and the close goes on.
            MqttServer.Report("a cancellation callback failed while a connection was closed", e);
        }

        if (writing)
        {
            await StopWritingAsync();
        }
        else
        {
            _turn.EndForGood();
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
        await DisposeStreamAsync();
    }

    /// <summary>
    /// The connect phase: CONNECT read, checked and answered within the deadline, which the server's stop and an abort
    /// (<see cref="Abort"/>) also end. Its place and deadline end with it.
    /// </summary>
    private async Task<bool> ConnectWithinDeadlineAsync(CancellationTokenSource deadline, MqttServer.UnauthenticatedPlace unauthenticated, CancellationToken serverStopping)
    {
        Volatile.Write(ref _connectDeadline, deadline);
        try
        {
            // The stop's registration is given back when the phase ends, so the server's list of them stays as long as
            // the number of clients logging in at once, not the number connected.
            using var stop = serverStopping.UnsafeRegister(static d => CancelQuietly((CancellationTokenSource)d!), deadline);
            if (_closing.IsCancellationRequested)
            {
                // Aborted before the deadline was in place to be cancelled.
                CancelQuietly(deadline);
            }

            return await ConnectAsync(unauthenticated, deadline.Token);
        }
        finally
        {
            Volatile.Write(ref _connectDeadline, null);
            unauthenticated.Release();
            deadline.Dispose();
        }
    }

    /// <summary>
    /// Cancels without throwing: the source may be disposed meanwhile (the connect phase ended), and the callbacks the
    /// application left on its token (a gate's wait) may throw. Either way the cancel has taken effect, and what follows
    /// it (the parked read's end, the rest of a shutdown or of the housekeeping) must still run.
    /// </summary>
    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The phase it bounded is over.
        }
        catch (AggregateException e)
        {
            MqttServer.Report("a cancellation callback failed while a connection was closed", e);
        }
    }

    private async ValueTask DisposeStreamAsync()
    {
        try
        {
            await stream.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // A TLS close_notify to a peer that is gone: nothing more to do.
        }
    }

    /// <summary>Called by the session when it has something to send; coalesces many wakes into one.</summary>
    public void WakeWriter()
    {
        if (_turn.Wake())
        {
            // On the pool: the waker (often another client's reader, routing a message) does not write for this one.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = FlushAsync();

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
        CancelQuietly(_closing);
        if (Volatile.Read(ref _connectDeadline) is { } deadline)
        {
            CancelQuietly(deadline);
        }

        (stream as EpollSocketStream)?.CancelPendingRead();
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

    /// <summary>
    /// Writes until there is nothing more to send, then gives the turn back: control packets, then the session's
    /// messages within the client's receive window. Runs only while it holds the writer's turn.
    /// </summary>
    private async Task FlushAsync()
    {
        var ct = _closing.Token;
        // Encoding buffers are borrowed per flush and given back, so an idle connection holds none.
        var output = RentWriteBuffer();
        List<Action>? written = null;
        var done = false;
        try
        {
            while (true)
            {
                _turn.BeginRound();
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                if (!_resent)
                {
                    // 4.4: on a resumed session, unacknowledged PUBLISHes go again with DUP set, and pending PUBRELs.
                    _resent = true;
                    foreach (var delivery in _session!.Unacknowledged())
                    {
                        MqttPacket packet = delivery.State == DeliveryState.AwaitingPubComp
                            ? new PubRelPacket { PacketId = delivery.PacketId }
                            : Dup(delivery.Message.ToPacket(delivery.QoS, delivery.Retain, delivery.PacketId, delivery.SubscriptionIds, server.Now, IsV5));
                        MqttEncoder.Encode(packet, _version, output);
                    }
                }

                while (Volatile.Read(ref _control) is { } controls && controls.TryDequeue(out var control))
                {
                    Interlocked.Decrement(ref _controlCount);
                    MqttEncoder.Encode(control, _version, output);
                }

                EncodeSendable(output, ref written);
                if (output.WrittenCount > 0)
                {
                    await stream.WriteAsync(output.WrittenMemory, ct);
                    await stream.FlushAsync(ct);
                    output.ResetWrittenCount();
                }

                if (written is { Count: > 0 })
                {
                    // QoS 0 messages from a replica are acknowledged to it only now that they are written.
                    written.ForEach(settle => settle());
                    written.Clear();
                }

                Interlocked.Exchange(ref _controlDrained, null)?.TrySetResult();
                if (_turn.TryEndTurn())
                {
                    done = true;
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The connection is closing.
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            // The peer is gone. Closed from here too: a reader that waits for this writer to drain its answers
            // (MaxControlBacklog) would otherwise wait for ever on a connection without keep-alive.
            Abort(ReasonCode.UnspecifiedError);
        }
        catch (Exception)
        {
            // Nothing more can be written to this client: close it rather than leave it unanswered.
            Abort(ReasonCode.UnspecifiedError);
        }
        finally
        {
            if (!done)
            {
                _turn.EndForGood();
            }

            ReturnWriteBuffer(output);
        }

        static PublishPacket Dup(PublishPacket packet)
        {
            packet.Dup = true;
            return packet;
        }
    }

    /// <summary>
    /// Encodes what the session may send now (no await in here: the list is this thread's); the settlements of the
    /// QoS 0 deliveries encoded go to <paramref name="written"/>, to be called once the bytes are written.
    /// </summary>
    private void EncodeSendable(ArrayBufferWriter<byte> output, ref List<Action>? written)
    {
        var sendable = t_sendable ??= [];
        try
        {
            _session!.TakeSendable(sendable, _clientReceiveMaximum, server.Now);
            var now = server.Now;
            foreach (var delivery in sendable)
            {
                var publish = delivery.Message.ToPacket(delivery.QoS, delivery.Retain, delivery.PacketId, delivery.SubscriptionIds, now, IsV5);
                if (MqttEncoder.MeasureTotal(publish, _version) > _clientMaxPacketSize)
                {
                    // 3.1.2.11.4: a message too large for the client is discarded as if delivered.
                    _session.Discard(delivery);
                    continue;
                }

                MqttEncoder.Encode(publish, _version, output);
                if (delivery.QoS == QualityOfService.AtMostOnce && delivery.Settled is { } settle)
                {
                    (written ??= []).Add(settle);
                }
            }
        }
        finally
        {
            // Whatever happened, the next connection served on this thread starts from an empty list.
            sendable.Clear();
        }
    }

    /// <summary>Waits until no flush runs and none can start; a running one sees the closing and stops.</summary>
    private async ValueTask StopWritingAsync()
    {
        while (!_turn.TryStop())
        {
            await Task.Delay(1);
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
