using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// The Linux stream whose reads wait in the broker's own epoll loop: what it holds while parked, that what arrives is
/// read whole and in order, and that cancelling, disposing and the peer's close each end a parked read.
/// </summary>
public sealed class EpollSocketStreamTests
{
    private static ReadinessLoop Loop => ReadinessLoop.Shared ?? throw new InvalidOperationException("the readiness loop runs on Linux x64 and arm64, where these tests run");

    [Fact]
    public async Task A_zero_byte_read_parks_without_dotnets_socket_machinery_and_wakes_when_bytes_come()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        await using var stream = new EpollSocketStream(server, Loop);
        using var peer = client;

        var wait = stream.ReadAsync(Memory<byte>.Empty).AsTask();
        Assert.False(wait.IsCompleted, "nothing was sent yet");
        Assert.True(stream.IsParked);
        Assert.Null(AsyncContextOf(stream.Handle));

        await peer.SendAsync(new byte[] { 7, 8 }, SocketFlags.None);
        Assert.Equal(0, await wait.WaitAsync(Eventually.DefaultPatience));
        var buffer = new byte[4];
        Assert.Equal(2, await stream.ReadAsync(buffer.AsMemory()));
        Assert.Equal([7, 8], buffer[..2]);
        Assert.Null(AsyncContextOf(stream.Handle));
    }

    [Fact]
    public async Task A_read_that_waits_gets_every_byte_in_order_across_many_parks()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        await using var stream = new EpollSocketStream(server, Loop);
        using var peer = client;

        var received = new List<byte>();
        var buffer = new byte[3];
        for (var round = 0; round < 50; round++)
        {
            var read = stream.ReadAsync(buffer.AsMemory()).AsTask();
            await Eventually.TrueAsync(() => stream.IsParked || read.IsCompleted, "the read parked", Eventually.DefaultPatience);
            await peer.SendAsync(new[] { (byte)(round * 2), (byte)(round * 2 + 1) }, SocketFlags.None);
            var n = await read.WaitAsync(Eventually.DefaultPatience);
            received.AddRange(buffer[..n]);
            while (received.Count < (round + 1) * 2)
            {
                n = await stream.ReadAsync(buffer.AsMemory()).AsTask().WaitAsync(Eventually.DefaultPatience);
                received.AddRange(buffer[..n]);
            }
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (byte)i), received);
    }

    [Fact]
    public async Task Cancelling_a_parked_read_ends_it_by_the_owners_call_for_good_or_by_any_other_token_for_that_read()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        await using var stream = new EpollSocketStream(server, Loop);
        using var peer = client;

        using var owner = new CancellationTokenSource();
        stream.CancelledByOwner(owner.Token);
        var byOwner = stream.ReadAsync(new byte[4], owner.Token).AsTask();
        Assert.True(stream.IsParked);
        await owner.CancelAsync();
        Assert.False(byOwner.IsCompleted, "the owner's token has no registration: the owner's call ends the read");
        stream.CancelPendingRead();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => byOwner.WaitAsync(Eventually.DefaultPatience));

        // The owner's cancel is for good (its connection is closing): a later read that must wait is cancelled too.
        var later = stream.ReadAsync(new byte[4]).AsTask();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => later.WaitAsync(Eventually.DefaultPatience));

        // Another token is registered for the read's time and ends that read by itself; the stream can be read after.
        var (server2, client2) = await LoopbackSockets.PairAsync();
        await using var other = new EpollSocketStream(server2, Loop);
        using var peer2 = client2;
        using var deadline = new CancellationTokenSource();
        var byDeadline = other.ReadAsync(new byte[4], deadline.Token).AsTask();
        Assert.True(other.IsParked);
        await deadline.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => byDeadline.WaitAsync(Eventually.DefaultPatience));
        var buffer = new byte[4];
        var read = other.ReadAsync(buffer.AsMemory()).AsTask();
        await peer2.SendAsync(new byte[] { 5 }, SocketFlags.None);
        Assert.Equal(1, await read.WaitAsync(Eventually.DefaultPatience));
        Assert.Equal(5, buffer[0]);
    }

    [Fact]
    public async Task A_parked_reader_keeps_no_pending_read_and_is_resumed_once_when_bytes_come_or_its_owner_cancels()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        await using var stream = new EpollSocketStream(server, Loop);
        using var peer = client;
        using var owner = new CancellationTokenSource();
        stream.CancelledByOwner(owner.Token);

        var reader = new CountingReader();
        Assert.True(stream.TryPark(reader), "nothing to read: parks");
        Assert.True(stream.IsParked);
        await peer.SendAsync(new byte[] { 3 }, SocketFlags.None);
        await Eventually.TrueAsync(() => reader.Resumed == 1, "resumed by the bytes", Eventually.DefaultPatience);
        Assert.False(stream.TryPark(reader), "a byte waits: the reader reads on at once");
        var buffer = new byte[4];
        Assert.Equal(1, await stream.ReadAsync(buffer.AsMemory()));

        Assert.True(stream.TryPark(reader));
        await owner.CancelAsync();
        stream.CancelPendingRead();
        await Eventually.TrueAsync(() => reader.Resumed == 2, "resumed by the owner's cancel", Eventually.DefaultPatience);
        Assert.False(stream.IsParked);
        Assert.Null(AsyncContextOf(stream.Handle));
    }

    [Fact]
    public async Task Disposing_ends_a_parked_read_and_leaves_the_loop()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        using var peer = client;
        var stream = new EpollSocketStream(server, Loop);
        var read = stream.ReadAsync(new byte[4]).AsTask();
        Assert.True(stream.Slot >= 0, "registered while parked");

        await stream.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => read.WaitAsync(Eventually.DefaultPatience));
        Assert.Equal(-1, stream.Slot);
        Assert.Equal(0, await peer.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Eventually.DefaultPatience));
    }

    [Fact]
    public async Task The_peers_close_ends_a_parked_read_with_zero_bytes()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        await using var stream = new EpollSocketStream(server, Loop);
        var read = stream.ReadAsync(new byte[4]).AsTask();
        Assert.True(stream.IsParked);

        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await read.WaitAsync(Eventually.DefaultPatience));
        client.Dispose();
    }

    [Fact]
    public async Task A_write_larger_than_the_kernel_takes_arrives_whole_and_in_order_once_the_peer_reads()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        await using var stream = new EpollSocketStream(server, Loop);
        using var peer = client;

        var data = new byte[8 * 1024 * 1024];
        new Random(11).NextBytes(data);
        var write = stream.WriteAsync(data).AsTask();
        Assert.False(write.IsCompleted, "the kernel cannot have taken 8 MiB while nobody reads");

        var received = await LoopbackSockets.ReceiveExactlyAsync(peer, data.Length);

        await write.WaitAsync(Eventually.DefaultPatience);
        Assert.Equal(data, received);
    }

    /// <summary>
    /// .NET's per-socket async context (with its queues), made by the first asynchronous operation and kept for the
    /// socket's life; read by reflection, as nothing public tells. A runtime that renames the field fails here loudly.
    /// </summary>
    internal static object? AsyncContextOf(SafeSocketHandle handle)
    {
        var field = typeof(SafeSocketHandle).GetField("_asyncContext", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("SafeSocketHandle._asyncContext is gone from this runtime: check what a parked socket holds another way");
        return field.GetValue(handle);
    }
}
