using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// The races a review found in parked sockets, each forced on real sockets: a cancel landing while the reader parks,
/// a close while a socket arms, an event the loop cannot place, and an epoll_wait that fails. Where two threads must
/// meet between two steps, the stream or loop's test hooks hold one thread there; nothing else is stood in for.
/// </summary>
public sealed class ReadinessRaceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static ReadinessLoop NewLoop() => ReadinessLoop.TryStart() ?? throw new InvalidOperationException("the readiness loop runs on Linux x64 and arm64, where these tests run");

    [Fact]
    public async Task A_cancel_landing_while_the_reader_parks_wakes_it_once_and_does_not_throw()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        await using var stream = new EpollSocketStream(server, ReadinessLoop.Shared!);
        using var peer = client;
        using var owner = new CancellationTokenSource();
        stream.CancelledByOwner(owner.Token);

        // One read that waited and was answered first, as a connection's reads were before it idled.
        var first = stream.ReadAsync(new byte[1]).AsTask();
        await peer.SendAsync(new byte[] { 1 }, SocketFlags.None);
        Assert.Equal(1, await first.WaitAsync(Patience));

        // The canceller has looked and not yet claimed the wait; the reader parks meanwhile and is about to look at
        // the cancel; the canceller then goes on, and the reader after it.
        var reader = new CountingReader();
        using var looked = new ManualResetEventSlim();
        using var parked = new ManualResetEventSlim();
        stream.CancelClaimingForTest = () =>
        {
            stream.CancelClaimingForTest = null;
            looked.Set();
            parked.Wait(Patience);
        };
        var cancel = Task.Run(() =>
        {
            owner.Cancel();
            stream.CancelPendingRead();
        });
        Assert.True(looked.Wait(Patience), "the canceller reached its claim");
        stream.ParkCheckingCancelForTest = () =>
        {
            stream.ParkCheckingCancelForTest = null;
            parked.Set();
            cancel.Wait(Patience);
        };

        Assert.True(stream.TryPark(reader), "nothing to read: parks");
        await cancel.WaitAsync(Patience);
        await Eventually.TrueAsync(() => reader.Resumed == 1, "the cancelled reader resumed", Patience);

        // Both wakers have returned and the wake was taken: the stream reads again (a second resume would need a second
        // park), and the cancel holds for every later read, which ends at once instead of waiting.
        Assert.False(stream.IsParked);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.ReadAsync(new byte[1]).AsTask().WaitAsync(Patience));
        Assert.Equal(1, reader.Resumed);
    }

    [Fact]
    public async Task A_socket_leaving_the_loop_while_it_arms_is_left_unregistered_and_the_loop_serves_on()
    {
        var loop = NewLoop();
        var (server, client) = await LoopbackSockets.PairAsync();
        using var peer = client;
        var stream = new EpollSocketStream(server, loop);

        // Remove is what Dispose does first, while the socket is still open; it comes while Arm is between its steps.
        Task? removing = null;
        loop.ArmingForTest = _ =>
        {
            loop.ArmingForTest = null;
            removing = Task.Run(() => loop.Remove(stream));
            removing.Wait(TimeSpan.FromMilliseconds(300));
        };
        Assert.True(stream.TryPark(new CountingReader()));
        await removing!.WaitAsync(Patience);

        Assert.Equal(0, loop.Registered);
        Assert.Equal(-1, stream.Slot);
        await peer.SendAsync(new byte[] { 1 }, SocketFlags.None);
        await AssertServesAsync(loop);
        await stream.DisposeAsync();
    }

    [Fact]
    public async Task A_stream_closed_between_its_park_and_its_arming_is_not_registered_and_its_reader_resumes_once()
    {
        var loop = NewLoop();
        var (server, client) = await LoopbackSockets.PairAsync();
        using var peer = client;
        var stream = new EpollSocketStream(server, loop);

        // The stream has claimed its wait and is about to arm when it is disposed whole (marked closed, taken out of the
        // loop while it is not yet in it, its wait ended): only Arm's own look at the closed mark keeps a socket whose
        // descriptor is being closed out of the loop.
        var reader = new CountingReader();
        loop.ArmCalledForTest = armed =>
        {
            loop.ArmCalledForTest = null;
            armed.Dispose();
        };
        Assert.True(stream.TryPark(reader), "the dispose's wake resumes the reader");

        Assert.True(stream.IsClosed);
        Assert.Equal(0, loop.Registered);
        Assert.Equal(-1, stream.Slot);
        await Eventually.TrueAsync(() => reader.Resumed == 1, "the closed stream's reader resumed", Patience);
        await AssertServesAsync(loop);
    }

    [Fact]
    public async Task The_loop_drops_an_event_naming_a_slot_it_never_gave_and_serves_on()
    {
        var loop = NewLoop();
        var (server, client) = await LoopbackSockets.PairAsync();
        using var socket = server;
        using var peer = client;

        // An event whose slot is -1 (and one past the table), as a registration racing a close could carry.
        Span<byte> epollEvent = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(epollEvent, LinuxSockets.EpollIn | LinuxSockets.EpollOneShot);
        BinaryPrimitives.WriteUInt64LittleEndian(epollEvent[LinuxSockets.EventDataOffset..], uint.MaxValue | (1UL << 32));
        Assert.Equal(0, LinuxSockets.EpollCtl(loop.Descriptor, LinuxSockets.EpollCtlAdd, socket.SafeHandle, ref MemoryMarshal.GetReference(epollEvent)));
        await peer.SendAsync(new byte[] { 1 }, SocketFlags.None);

        // No wait needed: the stray socket was readable before the one parked next is, and the loop's one thread takes
        // epoll's ready list in order, so it has passed the stray event once it wakes the parked reader.
        await AssertServesAsync(loop);
    }

    [Fact]
    public async Task A_failed_epoll_wait_wakes_every_parked_reader_and_they_read_on_without_the_loop()
    {
        var loop = NewLoop();
        var (serverA, clientA) = await LoopbackSockets.PairAsync();
        var (serverB, clientB) = await LoopbackSockets.PairAsync();
        using var peerA = clientA;
        using var peerB = clientB;
        await using var a = new EpollSocketStream(serverA, loop);
        await using var b = new EpollSocketStream(serverB, loop);
        var readerA = new CountingReader();
        var readerB = new CountingReader();
        Assert.True(a.TryPark(readerA));
        Assert.True(b.TryPark(readerB));

        // The loop's descriptor now names /dev/null: the wait in progress still reports A, and the next one fails.
        using (var devNull = File.OpenHandle("/dev/null"))
        {
            Assert.True(Dup2((int)devNull.DangerousGetHandle(), loop.Descriptor) >= 0, "dup2");
        }

        await peerA.SendAsync(new byte[] { 1 }, SocketFlags.None);
        await Eventually.TrueAsync(() => readerA.Resumed == 1, "A woken by its byte", Patience);
        await Eventually.TrueAsync(() => readerB.Resumed == 1, "B woken by the loop's failure", Patience);

        // B reads on through .NET's socket operations, as a connection without the loop does.
        Assert.False(b.TryPark(readerB), "no parking once the loop stopped");
        var buffer = new byte[4];
        var read = b.ReadAsync(buffer.AsMemory()).AsTask();
        await peerB.SendAsync(new byte[] { 9 }, SocketFlags.None);
        Assert.Equal(1, await read.WaitAsync(Patience));
        Assert.Equal(9, buffer[0]);
        Assert.False(loop.IsRunning);
        Assert.Contains("epoll_wait", loop.Failure);
    }

    /// <summary>The loop still parks a new socket and wakes it when its bytes come.</summary>
    private static async Task AssertServesAsync(ReadinessLoop loop)
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        using var peer = client;
        await using var stream = new EpollSocketStream(server, loop);
        var reader = new CountingReader();
        Assert.True(stream.TryPark(reader));
        await peer.SendAsync(new byte[] { 2 }, SocketFlags.None);
        await Eventually.TrueAsync(() => reader.Resumed == 1, "the loop woke a socket parked after", Patience);
    }

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static extern int Dup2(int oldFd, int newFd);
}
