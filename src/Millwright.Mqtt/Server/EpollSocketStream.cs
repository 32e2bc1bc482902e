using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Millwright.Mqtt.Server;

/// <summary>
/// A plain TCP connection's stream on Linux that never uses .NET's asynchronous socket operations for reading: a read
/// the kernel can answer at once is answered at once (recv with MSG_DONTWAIT), and one that must wait parks the socket
/// in the broker's <see cref="ReadinessLoop"/> until it is readable. So an idle connection's socket holds no async
/// context, operation queue, awaitable event args or cancellation registration: the stream itself is the one reusable
/// wait. Writes are sent at once; only a write the kernel cannot take whole waits through .NET's asynchronous send
/// (and only such a socket keeps its machinery). If the loop stops, reads go on through .NET's socket operations.
/// </summary>
internal sealed class EpollSocketStream : BrokerSocketStream, IValueTaskSource<int>, IThreadPoolWorkItem
{
    // Who holds the stream's one wait: Reading (the reader; no wait outstanding), Waiting (armed in the loop, as a
    // pending read or a parked reader), Woken (taken by readiness, a cancel or the loop's stop, and being finished on
    // the pool), Closed. Every move out of Waiting is a compare-and-swap, so exactly one of the loop, a canceller and
    // Dispose finishes a wait; and a reader looks for a cancel only after it claimed Waiting (the canceller marks the
    // cancel first, then looks for a wait), so one of the two always sees the other: no cancel is lost.
    private const int Reading = 0;
    private const int Waiting = 1;
    private const int Woken = 2;
    private const int Closed = 3;

    private readonly ReadinessLoop _loop;
    private ManualResetValueTaskSourceCore<int> _read;
    private Memory<byte> _pending;
    private CancellationToken _readToken;
    // The waiting reader when the wait is a park (TryPark), null when it is a pending read; set before Waiting is claimed.
    private IParkedReader? _parkedReader;
    private CancellationTokenRegistration _registration;
    private CancellationToken _ownerToken;
    private int _state;
    private int _ownerCancelled;

    public EpollSocketStream(Socket socket, ReadinessLoop loop)
        : base(socket)
    {
        _loop = loop;
        Handle = socket.SafeHandle;
    }

    internal SafeSocketHandle Handle { get; }

    /// <summary>The loop's slot for this socket, -1 while not registered; the loop's to change, under its lock.</summary>
    internal int Slot { get; set; } = -1;

    /// <summary>Names this stream's registration in the loop's events; the loop's to change.</summary>
    internal uint RegistrationId { get; set; }

    /// <summary>True while a read or a parked reader waits in the readiness loop (an idle connection's state), for tests.</summary>
    internal bool IsParked => Volatile.Read(ref _state) == Waiting;

    internal bool IsClosed => Volatile.Read(ref _state) == Closed;

    /// <summary>Test hook: runs in a cancel after it is marked and before it looks for a wait to end.</summary>
    internal Action? CancelClaimingForTest { get; set; }

    /// <summary>Test hook: runs in a park after the socket is armed and before it looks for a cancel.</summary>
    internal Action? ParkCheckingCancelForTest { get; set; }

    private bool IsCancelled => Volatile.Read(ref _ownerCancelled) != 0 || _readToken.IsCancellationRequested;

    /// <summary>
    /// Reads given this token are cancelled by <see cref="CancelPendingRead"/>, which its owner calls right after
    /// cancelling it, rather than through a registration: an idle connection keeps none.
    /// </summary>
    public void CancelledByOwner(CancellationToken token) => _ownerToken = token;

    /// <summary>
    /// The owner's token was cancelled: the waiting read ends with <see cref="OperationCanceledException"/> (a parked
    /// reader is resumed and finds its token cancelled), and so does every later one. Never throws, from any thread.
    /// </summary>
    public void CancelPendingRead()
    {
        Interlocked.Exchange(ref _ownerCancelled, 1);
        CancelClaimingForTest?.Invoke();
        Wake();
    }

    /// <summary>
    /// Parks the socket until it is readable (or the owner's token is cancelled, or the loop stops), then calls
    /// <paramref name="reader"/> once on the pool; the reader keeps no frame meanwhile. False when there is something
    /// to read already (or the end, or an error), or no loop to park in: the reader reads on at once.
    /// </summary>
    public bool TryPark(IParkedReader reader)
    {
        if (Volatile.Read(ref _state) != Reading || !_loop.IsRunning)
        {
            return false;
        }

        _ = TryReceive(Span<byte>.Empty, out var errno);
        if (errno != LinuxSockets.EAgain)
        {
            return false;
        }

        _parkedReader = reader;
        _readToken = default;
        if (Interlocked.CompareExchange(ref _state, Waiting, Reading) != Reading)
        {
            _parkedReader = null;
            return false;
        }

        if (!TryArm(out _))
        {
            if (Interlocked.CompareExchange(ref _state, Reading, Waiting) == Waiting)
            {
                // Not parked: the reader's own read reports the failure, or reads without the loop.
                _parkedReader = null;
                return false;
            }

            // Woken or closed meanwhile: that wake resumes the reader.
            return true;
        }

        ParkCheckingCancelForTest?.Invoke();
        if (Volatile.Read(ref _ownerCancelled) != 0)
        {
            Wake();
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

        if (!_loop.IsRunning)
        {
            return Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
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

        if (Volatile.Read(ref _state) != Reading)
        {
            return ValueTask.FromException<int>(Volatile.Read(ref _state) == Closed
                ? new ObjectDisposedException(nameof(EpollSocketStream))
                : new InvalidOperationException("One read at a time."));
        }

        _pending = buffer;
        _readToken = cancellationToken;
        _parkedReader = null;
        _read.Reset();
        if (cancellationToken.CanBeCanceled && cancellationToken != _ownerToken)
        {
            // Tokens other than the owner's (the connect phase's deadline) are registered as usual: they live briefly.
            // A registration of an earlier read that fires late names its own token, not this read's, and is ignored.
            _registration = cancellationToken.UnsafeRegister(static (state, token) => ((EpollSocketStream)state!).CancelRead(token), this);
        }

        var version = _read.Version;
        if (Interlocked.CompareExchange(ref _state, Waiting, Reading) != Reading)
        {
            ReleaseRead();
            return ValueTask.FromException<int>(new ObjectDisposedException(nameof(EpollSocketStream)));
        }

        if (!TryArm(out var failure))
        {
            if (Interlocked.CompareExchange(ref _state, Reading, Waiting) == Waiting)
            {
                ReleaseRead();
                return _loop.IsRunning ? ValueTask.FromException<int>(failure!) : Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            }

            // Woken or closed meanwhile: that wake finishes the read.
            return new ValueTask<int>(this, version);
        }

        // A cancel that came before the read was waiting found nothing to end: look again now that it waits.
        if (IsCancelled)
        {
            Wake();
        }

        return new ValueTask<int>(this, version);
    }

    /// <summary>By the loop's thread: the socket is readable (or the loop stopped); the wait is finished on the pool.</summary>
    internal void OnReadable() => Wake();

    void IThreadPoolWorkItem.Execute()
    {
        if (_parkedReader is { } reader)
        {
            _parkedReader = null;
            // Closed stays closed: the reader's next read then reports it.
            Interlocked.CompareExchange(ref _state, Reading, Woken);
            reader.Resume();
            return;
        }

        if (Volatile.Read(ref _state) == Closed)
        {
            Finish(0, new ObjectDisposedException(nameof(EpollSocketStream)));
            return;
        }

        if (IsCancelled)
        {
            Finish(0, new OperationCanceledException("The read was cancelled.", _readToken));
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

        if (errno != LinuxSockets.EAgain)
        {
            Finish(received, errno == 0 ? null : LinuxSockets.Failure("recv", errno));
        }
        else if (!_loop.IsRunning)
        {
            _ = FinishFromSocketAsync();
        }
        else if (Interlocked.CompareExchange(ref _state, Waiting, Woken) != Woken)
        {
            Finish(0, new ObjectDisposedException(nameof(EpollSocketStream)));
        }
        else if (!TryArm(out var failure))
        {
            if (Interlocked.CompareExchange(ref _state, Woken, Waiting) == Waiting)
            {
                if (_loop.IsRunning)
                {
                    Finish(0, failure);
                }
                else
                {
                    _ = FinishFromSocketAsync();
                }
            }
        }
        else if (IsCancelled)
        {
            // Reported readable, yet nothing to read (rare): it waits again, unless cancelled meanwhile.
            Wake();
        }
    }

    int IValueTaskSource<int>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);

    protected override int TrySend(ReadOnlySpan<byte> data)
    {
        while (true)
        {
            var n = LinuxSockets.Send(Handle, ref MemoryMarshal.GetReference(data), (nuint)data.Length, LinuxSockets.MsgDontWait | LinuxSockets.MsgNoSignal);
            if (n >= 0)
            {
                return (int)n;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == LinuxSockets.EAgain)
            {
                return -1;
            }

            if (errno != LinuxSockets.EIntr)
            {
                throw LinuxSockets.Failure("send", errno);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _state, Closed) is var was && was != Closed)
        {
            // Out of the loop before the descriptor is closed (below), so its number can be reused safely.
            _loop.Remove(this);
            if (was == Waiting)
            {
                // The wait is this Dispose's to end: a pending read with ObjectDisposedException, a parked reader resumed.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Takes a waiting read or parked reader out of the loop, to be finished on the pool; at most one caller wins.</summary>
    private void Wake()
    {
        if (Interlocked.CompareExchange(ref _state, Woken, Waiting) == Waiting)
        {
            // Never inside the waker: the loop's thread, a canceller under the server's lock, the housekeeping timer.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private void CancelRead(CancellationToken token)
    {
        if (token == _readToken)
        {
            Wake();
        }
    }

    private bool TryArm(out Exception? failure)
    {
        try
        {
            _loop.Arm(this);
            failure = null;
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            failure = e;
            return false;
        }
    }

    /// <summary>The loop stopped while this read waited: .NET's own receive finishes it.</summary>
    private async Task FinishFromSocketAsync()
    {
        try
        {
            Finish(await Socket.ReceiveAsync(_pending, SocketFlags.None, _readToken), null);
        }
        catch (Exception e)
        {
            Finish(0, e);
        }
    }

    /// <summary>Ends a Woken read; a Dispose meanwhile left its completion to here.</summary>
    private void Finish(int received, Exception? error)
    {
        if (Interlocked.CompareExchange(ref _state, Reading, Woken) != Woken && error is null)
        {
            // Closed while Woken: the bytes are not handed to a reader of a closed stream.
            error = new ObjectDisposedException(nameof(EpollSocketStream));
        }

        ReleaseRead();
        // The reader's continuation runs here, on this pool thread, as .NET's own socket completions do.
        if (error is null)
        {
            _read.SetResult(received);
        }
        else
        {
            _read.SetException(error);
        }
    }

    private void ReleaseRead()
    {
        _registration.Unregister();
        _registration = default;
        _pending = default;
        _readToken = default;
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
}
