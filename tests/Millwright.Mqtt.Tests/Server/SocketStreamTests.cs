using System.Net;
using System.Net.Sockets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>The broker's plain TCP stream: writes sent at once when the kernel takes them, the rest when the peer reads.</summary>
public sealed class SocketStreamTests
{
    [Fact]
    public async Task A_write_larger_than_the_kernel_takes_arrives_whole_and_in_order_once_the_peer_reads()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        await using var stream = new SocketStream(server);
        using var peer = client;

        // Far more than the send and receive buffers hold, so part of it waits for the peer to read.
        var data = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(data);
        var write = stream.WriteAsync(data).AsTask();
        await Task.Delay(200);
        Assert.False(write.IsCompleted, "the kernel cannot have taken 8 MiB while nobody reads");

        var received = await LoopbackSockets.ReceiveExactlyAsync(peer, data.Length);

        await write.WaitAsync(Eventually.DefaultPatience);
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task Small_writes_complete_at_once_and_reads_see_them_then_the_close()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        await using var stream = new SocketStream(server);
        using var peer = client;

        Assert.True(stream.WriteAsync(new byte[] { 1, 2, 3 }).AsTask().IsCompletedSuccessfully, "a small write is taken at once");
        var buffer = new byte[3];
        Assert.Equal(3, await peer.ReceiveAsync(buffer, SocketFlags.None));
        Assert.Equal([1, 2, 3], buffer);

        await peer.SendAsync(new byte[] { 9 }, SocketFlags.None);
        // A zero-byte read waits for data without a buffer, as an idle connection does.
        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty).AsTask().WaitAsync(Eventually.DefaultPatience));
        Assert.Equal(1, await stream.ReadAsync(buffer.AsMemory()));
        Assert.Equal(9, buffer[0]);

        peer.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await stream.ReadAsync(buffer.AsMemory()).AsTask().WaitAsync(Eventually.DefaultPatience));
    }

    [Fact]
    public async Task Disposing_sends_what_was_written_then_the_close_and_may_be_done_twice()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        using var peer = client;
        var stream = new SocketStream(server);
        await stream.WriteAsync(new byte[] { 4, 5 });
        await stream.DisposeAsync();
        await stream.DisposeAsync();

        var buffer = new byte[2];
        Assert.Equal(2, await peer.ReceiveAsync(buffer, SocketFlags.None));
        Assert.Equal([4, 5], buffer);
        Assert.Equal(0, await peer.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Eventually.DefaultPatience));
    }

    [Fact]
    public async Task Writing_to_a_peer_that_reset_the_connection_fails_as_an_IOException()
    {
        var (server, client) = await LoopbackSockets.PairAsync();
        await using var stream = new SocketStream(server);
        client.LingerState = new LingerOption(true, 0);
        client.Dispose();

        // The first write may still be taken before the reset is seen; one of the next ones fails.
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await stream.WriteAsync(new byte[1024]);
                await Task.Delay(10);
            }
        });
    }
}
