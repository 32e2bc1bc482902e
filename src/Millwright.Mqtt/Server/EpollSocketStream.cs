using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Millwright.Mqtt.Server;

/// <summary>
/// A plain TCP connection's stream on Linux that never uses .NET's asynchronous socket operations for reading: a read
/// the kernel can answer at once is answered at once (recv with MSG_DONTWAIT), and one that must wait parks the socket
/// in the broker's <see cref="ReadinessLoop"/> until it is readable. So an idle connection's socket holds no async
/// context, operation queue, awaitable event args or cancellation registration: the stream itself is the one reusable
/// wait. Writes are sent at once as <see cref="SocketStream"/> does; only a write the kernel cannot take whole waits
/// through .NET's asynchronous send (and only such a socket keeps its machinery).
/// </summary>
internal sealed class EpollSocketStream : Stream, IValueTaskSource<int>, IThreadPoolWorkItem
{
    // The one read of the moment: Idle (none waiting), Waiting (armed in the loop), Busy (readable, being read on the
    // pool), Closed. The loop, a cancellation and the reader race for it by compare-and-swap; one wins.
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Busy = 2;
    private const int Closed = 3;

    private readonly Socket _socket;
    private readonly ReadinessLoop _loop;
    private ManualResetValueTaskSourceCore<int> _read;
    private Memory<byte> _pending;
    // Set while a reader waits parked without a pending read (TryPark): the wake resumes it instead of completing one.
    private IParkedReader? _parkedReader;
    private CancellationTokenRegistration _registration;
    private CancellationToken _ownerToken;
    private int _state;
    private int _cancelRequested;

    public EpollSocketStream(Socket socket, ReadinessLoop loop)
    {
        _socket = socket;
        _loop = loop;
        Handle = socket.SafeHandle;
    }

    internal SafeSocketHandle Handle { get; }

    /// <summary>The loop's slot for this socket, -1 while not registered; the loop's to change.</summary>
    internal int Slot { get; set; } = -1;

    /// <summary>Names this stream's registration in the loop's events; the loop's to change.</summary>
    internal uint RegistrationId { get; set; }

    /// <summary>True while a read or a parked reader waits in the readiness loop (an idle connection's state), for tests.</summary>
    internal bool IsParked => Volatile.Read(ref _state) == Waiting;

    internal bool IsClosed => Volatile.Read(ref _state) == Closed;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Reads given this token are cancelled by <see cref="CancelPendingRead"/>, which its owner calls right after
    /// cancelling it, rather than through a registration: an idle connection keeps none.
    /// </summary>
    public void CancelledByOwner(CancellationToken token) => _ownerToken = token;

    /// <summary>Ends a waiting read with <see cref="OperationCanceledException"/> (the owner's token was cancelled).</summary>
    public void CancelPendingRead()
    {
        Volatile.Write(ref _cancelRequested, 1);
        if (Volatile.Read(ref _parkedReader) is not null)
        {
            // A parked reader is resumed on the pool (never inside its canceller) and finds its token cancelled.
            if (Interlocked.CompareExchange(ref _state, Busy, Waiting) == Waiting)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
        else if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
        {
            Complete(0, new OperationCanceledException("The read was cancelled."), inline: false);
        }
    }

    /// <summary>
    /// Parks the socket until it is readable (or the owner's token is cancelled), then calls
    /// <paramref name="reader"/> once on the pool; the reader keeps no frame meanwhile. False when there is something
    /// to read already (or the end, or an error): the reader reads on at once.
    /// </summary>
    public bool TryPark(IParkedReader reader)
    {
        if (Volatile.Read(ref _state) != Idle)
        {
            return false;
        }

        _ = TryReceive(Span<byte>.Empty, out var errno);
        if (errno != LinuxSockets.EAgain)
        {
            return false;
        }

        Volatile.Write(ref _parkedReader, reader);
        Volatile.Write(ref _state, Waiting);
        try
        {
            _loop.Arm(this);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Not parked: the reader's own read reports the failure.
            if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
            {
                Volatile.Write(ref _parkedReader, null);
                return false;
            }

            return true;
        }

        // The owner cancels its token before it calls CancelPendingRead: a cancel that found nothing parked shows here.
        if (_ownerToken.IsCancellationRequested)
        {
            CancelPendingRead();
        }

        return true;
    }

    /// <remarks>A zero-byte read waits until there is something to read (or the end), holding no buffer.</remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        var received = TryReceive(buffer.Span, out var errno);
        if (errno == 0)
        {
            return ValueTask.FromResult(received);
        }

        if (errno != LinuxSockets.EAgain)
        {
            return ValueTask.FromException<int>(LinuxSockets.Failure("recv", errno));
        }

        if (Volatile.Read(ref _state) != Idle)
        {
            return ValueTask.FromException<int>(Volatile.Read(ref _state) == Closed
                ? new ObjectDisposedException(nameof(EpollSocketStream))
                : new InvalidOperationException("One read at a time."));
        }

        _pending = buffer;
        _read.Reset();
        Volatile.Write(ref _cancelRequested, 0);
        if (cancellationToken.CanBeCanceled && cancellationToken != _ownerToken)
        {
            // Tokens other than the owner's (the connect phase's deadline) are registered as usual: they live briefly.
            _registration = cancellationToken.UnsafeRegister(static state => ((EpollSocketStream)state!).CancelPendingRead(), this);
        }

        var version = _read.Version;
        Volatile.Write(ref _state, Waiting);
        ArmOrFail();

        // A cancellation that came before the read was waiting found nothing to cancel: look again now that it waits.
        if (cancellationToken.IsCancellationRequested)
        {
            CancelPendingRead();
        }

        return new ValueTask<int>(this, version);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>By the loop's thread: the socket is readable; the read is finished on the pool, not on the loop.</summary>
    internal void OnReadable()
    {
        if (Interlocked.CompareExchange(ref _state, Busy, Waiting) == Waiting)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (Volatile.Read(ref _parkedReader) is { } reader)
        {
            Volatile.Write(ref _parkedReader, null);
            // Closed stays closed: the reader's next read then reports it.
            Interlocked.CompareExchange(ref _state, Idle, Busy);
            reader.Resume();
            return;
        }

        int received, errno;
        try
        {
            received = TryReceive(_pending.Span, out errno);
        }
        catch (ObjectDisposedException e)
        {
            // Disposed while this read was being finished: the read ends with that.
            Finish(0, e);
            return;
        }

        if (errno == LinuxSockets.EAgain)
        {
            // Reported readable, yet nothing to read (rare): wait again, unless cancelled or disposed meanwhile.
            if (Interlocked.CompareExchange(ref _state, Waiting, Busy) != Busy)
            {
                Finish(0, new ObjectDisposedException(nameof(EpollSocketStream)));
                return;
            }

            ArmOrFail();
            if (Volatile.Read(ref _cancelRequested) != 0)
            {
                CancelPendingRead();
            }

            return;
        }

        Finish(received, errno == 0 ? null : LinuxSockets.Failure("recv", errno));
    }

    /// <summary>Ends a read that was Busy; a Dispose meanwhile left its completion to here.</summary>
    private void Finish(int received, Exception? error)
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Busy) != Busy)
        {
            // Closed while Busy: Dispose did not complete the read, so it ends here.
            error = new ObjectDisposedException(nameof(EpollSocketStream));
        }

        // The reader's continuation runs here, on this pool thread, as .NET's own socket completions do.
        Complete(received, error, inline: true);
    }

    int IValueTaskSource<int>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sent = 0;
        while (sent < buffer.Length)
        {
            var span = buffer.Span[sent..];
            var n = LinuxSockets.Send(Handle, ref MemoryMarshal.GetReference(span), (nuint)span.Length, LinuxSockets.MsgDontWait | LinuxSockets.MsgNoSignal);
            if (n < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LinuxSockets.EIntr)
                {
                    continue;
                }

                if (errno == LinuxSockets.EAgain)
                {
                    return SendRestAsync(buffer[sent..], cancellationToken);
                }

                throw LinuxSockets.Failure("send", errno);
            }

            sent += (int)n;
        }

        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _state, Closed) is var was && was != Closed)
        {
            // Out of the loop before the descriptor is closed, so its number can be reused safely.
            _loop.Remove(this);
            if (was == Waiting && Volatile.Read(ref _parkedReader) is not null)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
            else if (was == Waiting)
            {
                Complete(0, new ObjectDisposedException(nameof(EpollSocketStream)), inline: false);
            }

            // As NetworkStream closes a socket it owns: FIN after what was written, then the close.
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already reset by the peer, or disposed before.
            }

            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>recv without waiting: bytes read, or for an empty buffer whether anything (or the end) is there.</summary>
    private int TryReceive(Span<byte> buffer, out int errno)
    {
        while (true)
        {
            nint n;
            if (buffer.IsEmpty)
            {
                // A zero-byte read only waits: peek at one byte to learn whether it need wait at all.
                byte peeked = 0;
                n = LinuxSockets.Receive(Handle, ref peeked, 1, LinuxSockets.MsgPeek | LinuxSockets.MsgDontWait);
                n = Math.Min(n, 0);
            }
            else
            {
                n = LinuxSockets.Receive(Handle, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, LinuxSockets.MsgDontWait);
            }

            if (n >= 0)
            {
                errno = 0;
                return (int)n;
            }

            errno = Marshal.GetLastPInvokeError();
            if (errno != LinuxSockets.EIntr)
            {
                return 0;
            }
        }
    }

    private void ArmOrFail()
    {
        try
        {
            _loop.Arm(this);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
            {
                Complete(0, e, inline: false);
            }
        }
    }

    private void Complete(int received, Exception? error, bool inline)
    {
        _registration.Unregister();
        _registration = default;
        _pending = default;
        // A cancellation may come from any thread (keep-alive, a take-over under the server's lock): the reader then
        // goes on on the pool, never inside its canceller.
        _read.RunContinuationsAsynchronously = !inline;
        if (error is null)
        {
            _read.SetResult(received);
        }
        else
        {
            _read.SetException(error);
        }
    }

    /// <summary>The rest of a write the kernel's send buffer could not take: waits for room, as a slow reader makes us.</summary>
    private async ValueTask SendRestAsync(ReadOnlyMemory<byte> rest, CancellationToken cancellationToken)
    {
        try
        {
            while (!rest.IsEmpty)
            {
                var n = await _socket.SendAsync(rest, SocketFlags.None, cancellationToken);
                rest = rest[n..];
            }
        }
        catch (SocketException e)
        {
            throw new IOException($"Unable to write data to the transport connection: {e.SocketErrorCode}.", e);
        }
    }
}
