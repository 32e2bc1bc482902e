using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Millwright.Mqtt.Server;

/// <summary>
/// The broker's own epoll loop (Linux): one thread that waits for plain TCP sockets to become readable and hands each
/// ready one to the thread pool. A socket waiting here costs a slot in a table and the kernel's registration, instead
/// of .NET's per-socket async machinery (context, operation queues, awaitable event args, cancellation registration),
/// which is most of what an idle connection held. Registrations are one-shot (EPOLLONESHOT): a socket is reported
/// once per wait, and its next wait arms it again.
/// </summary>
internal sealed class ReadinessLoop
{
    private const int MaxEventsPerWait = 256;

    private readonly int _epoll;
    private readonly Lock _gate = new();
    // Slot → the stream registered there; an event names the slot and the registration's id, so an event for a stream
    // that left (its slot since reused) is recognised and dropped.
    private EpollSocketStream?[] _slots = new EpollSocketStream?[1024];
    private readonly Stack<int> _free = new();
    private int _used;
    private uint _nextId;

    private ReadinessLoop(int epoll)
    {
        _epoll = epoll;
        new Thread(Run) { IsBackground = true, Name = "mqtt readiness" }.Start();
    }

    /// <summary>The process's loop, or null where there is none (not Linux on x64 or arm64, or epoll refused).</summary>
    public static ReadinessLoop? Shared { get; } = TryStart();

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

    private static ReadinessLoop? TryStart()
    {
        if (!LinuxSockets.IsSupported)
        {
            return null;
        }

        var epoll = LinuxSockets.EpollCreate(LinuxSockets.EpollCloExec);
        return epoll < 0 ? null : new ReadinessLoop(epoll);
    }

    /// <summary>Arms the stream's socket for one readiness report (its first wait registers it).</summary>
    public void Arm(EpollSocketStream stream)
    {
        var operation = LinuxSockets.EpollCtlMod;
        if (stream.Slot < 0)
        {
            lock (_gate)
            {
                // Checked under the lock that Remove takes: a stream closed meanwhile is not registered again.
                ObjectDisposedException.ThrowIf(stream.IsClosed, stream);
                stream.Slot = _free.Count > 0 ? _free.Pop() : NewSlot();
                stream.RegistrationId = ++_nextId;
                _slots[stream.Slot] = stream;
            }

            operation = LinuxSockets.EpollCtlAdd;
        }

        Span<byte> epollEvent = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(epollEvent, LinuxSockets.EpollIn | LinuxSockets.EpollRdHup | LinuxSockets.EpollOneShot);
        BinaryPrimitives.WriteUInt64LittleEndian(epollEvent[LinuxSockets.EventDataOffset..], (ulong)(uint)stream.Slot | ((ulong)stream.RegistrationId << 32));
        if (LinuxSockets.EpollCtl(_epoll, operation, stream.Handle, ref MemoryMarshal.GetReference(epollEvent)) != 0)
        {
            throw LinuxSockets.Failure("epoll_ctl", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Takes the stream's socket out of the loop; called before the socket is closed.</summary>
    public void Remove(EpollSocketStream stream)
    {
        if (stream.Slot < 0)
        {
            return;
        }

        // Best effort: a socket already reset may refuse; closing it removes it from the set anyway.
        Span<byte> unused = stackalloc byte[16];
        _ = LinuxSockets.EpollCtl(_epoll, LinuxSockets.EpollCtlDel, stream.Handle, ref MemoryMarshal.GetReference(unused));
        lock (_gate)
        {
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

                // Nothing else is expected from a valid epoll descriptor; waiting on would spin, so the loop ends
                // loudly (readers then wait until keep-alive or the server's stop closes them).
                Console.Error.WriteLine($"mqtt readiness loop stopped: epoll_wait errno {errno}");
                return;
            }

            var slots = Volatile.Read(ref _slots);
            for (var i = 0; i < count; i++)
            {
                var data = BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan(i * LinuxSockets.EventSize + LinuxSockets.EventDataOffset));
                var slot = (int)(uint)data;
                if (slot < slots.Length && Volatile.Read(ref slots[slot]) is { } stream && stream.RegistrationId == (uint)(data >> 32))
                {
                    stream.OnReadable();
                }
            }
        }
    }
}
