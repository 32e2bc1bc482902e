using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Millwright.Mqtt.Server;

/// <summary>
/// The broker's own epoll loop (Linux): one thread that waits for plain TCP sockets to become readable and hands each
/// ready one to the thread pool. A socket waiting here costs a slot in a table and the kernel's registration, instead
/// of .NET's per-socket async machinery (context, operation queues, awaitable event args, cancellation registration),
/// which is most of what an idle connection held. Registrations are one-shot (EPOLLONESHOT): a socket is reported
/// once per wait, and its next wait arms it again. Should epoll_wait ever fail, the loop says so on standard error,
/// stops, and wakes every socket it holds; their reads then go on through .NET's socket operations.
/// </summary>
internal sealed class ReadinessLoop
{
    private const int MaxEventsPerWait = 256;

    private readonly int _epoll;
    // Arm and Remove run under this lock whole (slot and epoll_ctl together), so a socket leaving while it arms is
    // either never registered or taken out after.
    private readonly Lock _gate = new();
    // Slot → the stream registered there; an event names the slot and the registration's id, so an event for a stream
    // that left (its slot since reused) is recognised and dropped.
    private EpollSocketStream?[] _slots = new EpollSocketStream?[1024];
    private readonly Stack<int> _free = new();
    private int _used;
    private uint _nextId;
    private bool _stopped;
    private string? _failure;

    private ReadinessLoop(int epoll)
    {
        _epoll = epoll;
        new Thread(Run) { IsBackground = true, Name = "mqtt readiness" }.Start();
    }

    /// <summary>The process's loop, or null where there is none (not Linux on x64 or arm64, or epoll refused).</summary>
    public static ReadinessLoop? Shared { get; } = TryStart();

    /// <summary>False once epoll_wait failed: nothing parks here any more.</summary>
    public bool IsRunning => !Volatile.Read(ref _stopped);

    /// <summary>Why the loop stopped, as written to standard error; null while it runs.</summary>
    internal string? Failure => Volatile.Read(ref _failure);

    /// <summary>Sockets registered now, for tests and diagnostics.</summary>
    public int Registered
    {
        get
        {
            lock (_gate)
            {
                return _used - _free.Count;
            }
        }
    }

    /// <summary>The epoll descriptor, for tests.</summary>
    internal int Descriptor => _epoll;

    /// <summary>Test hook: runs as Arm is called, before it takes the lock (and so before it looks at the stream).</summary>
    internal Action<EpollSocketStream>? ArmCalledForTest { get; set; }

    /// <summary>Test hook: runs inside Arm once the slot is chosen and before the kernel is told.</summary>
    internal Action<EpollSocketStream>? ArmingForTest { get; set; }

    /// <summary>A new loop with its own thread; the process shares <see cref="Shared"/>, tests make their own.</summary>
    internal static ReadinessLoop? TryStart()
    {
        if (!LinuxSockets.IsSupported)
        {
            return null;
        }

        var epoll = LinuxSockets.EpollCreate(LinuxSockets.EpollCloExec);
        return epoll < 0 ? null : new ReadinessLoop(epoll);
    }

    /// <summary>Arms the stream's socket for one readiness report (its first wait registers it).</summary>
    /// <exception cref="ObjectDisposedException">The stream is closed.</exception>
    /// <exception cref="IOException">The loop stopped, or the kernel refused.</exception>
    public void Arm(EpollSocketStream stream)
    {
        ArmCalledForTest?.Invoke(stream);
        lock (_gate)
        {
            if (_stopped)
            {
                throw new IOException(_failure);
            }

            // Remove runs after the stream is marked closed, under this lock: a closed stream is not registered again.
            ObjectDisposedException.ThrowIf(stream.IsClosed, stream);
            var operation = LinuxSockets.EpollCtlMod;
            if (stream.Slot < 0)
            {
                stream.Slot = _free.Count > 0 ? _free.Pop() : NewSlot();
                stream.RegistrationId = ++_nextId;
                _slots[stream.Slot] = stream;
                operation = LinuxSockets.EpollCtlAdd;
            }

            ArmingForTest?.Invoke(stream);
            Span<byte> epollEvent = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(epollEvent, LinuxSockets.EpollIn | LinuxSockets.EpollRdHup | LinuxSockets.EpollOneShot);
            BinaryPrimitives.WriteUInt64LittleEndian(epollEvent[LinuxSockets.EventDataOffset..], (uint)stream.Slot | ((ulong)stream.RegistrationId << 32));
            if (LinuxSockets.EpollCtl(_epoll, operation, stream.Handle, ref MemoryMarshal.GetReference(epollEvent)) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (operation == LinuxSockets.EpollCtlAdd)
                {
                    // Never registered: the slot goes back, so a later arm tries ADD again instead of MOD on nothing.
                    _slots[stream.Slot] = null;
                    _free.Push(stream.Slot);
                    stream.Slot = -1;
                }

                throw LinuxSockets.Failure("epoll_ctl", error);
            }
        }
    }

    /// <summary>Takes the stream's socket out of the loop; called before the socket is closed.</summary>
    public void Remove(EpollSocketStream stream)
    {
        lock (_gate)
        {
            if (stream.Slot < 0)
            {
                return;
            }

            // Best effort: a socket already reset may refuse; closing it removes it from the set anyway.
            Span<byte> unused = stackalloc byte[16];
            _ = LinuxSockets.EpollCtl(_epoll, LinuxSockets.EpollCtlDel, stream.Handle, ref MemoryMarshal.GetReference(unused));
            _slots[stream.Slot] = null;
            _free.Push(stream.Slot);
            stream.Slot = -1;
        }
    }

    private int NewSlot()
    {
        if (_used == _slots.Length)
        {
            // The loop thread reads the table without the lock: it sees either array, and both hold every live slot.
            var grown = new EpollSocketStream?[_slots.Length * 2];
            Array.Copy(_slots, grown, _slots.Length);
            Volatile.Write(ref _slots, grown);
        }

        return _used++;
    }

    private void Run()
    {
        var events = new byte[MaxEventsPerWait * LinuxSockets.EventSize];
        while (true)
        {
            var count = LinuxSockets.EpollWait(_epoll, events, MaxEventsPerWait, -1);
            if (count < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LinuxSockets.EIntr)
                {
                    continue;
                }

                // Nothing else is expected from a valid epoll descriptor, and waiting on would spin.
                Stop(errno);
                return;
            }

            var slots = Volatile.Read(ref _slots);
            for (var i = 0; i < count; i++)
            {
                var data = BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan(i * LinuxSockets.EventSize + LinuxSockets.EventDataOffset));
                var slot = (uint)data;
                if (slot < (uint)slots.Length && Volatile.Read(ref slots[slot]) is { } stream && stream.RegistrationId == (uint)(data >> 32))
                {
                    stream.OnReadable();
                }
            }
        }
    }

    /// <summary>
    /// Said loudly, then every socket registered is woken: a parked reader reads on and finds no loop to park in, a
    /// waiting read is finished by .NET's receive. Nothing arms here after this, so no socket is left unserved.
    /// </summary>
    private void Stop(int errno)
    {
        var failure = $"mqtt readiness loop stopped: epoll_wait failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}); its connections read on through .NET's socket operations";
        Console.Error.WriteLine(failure);
        List<EpollSocketStream> registered = [];
        lock (_gate)
        {
            _failure = failure;
            Volatile.Write(ref _stopped, true);
            foreach (var stream in _slots)
            {
                if (stream is not null)
                {
                    registered.Add(stream);
                }
            }
        }

        foreach (var stream in registered)
        {
            stream.OnReadable();
        }
    }
}
