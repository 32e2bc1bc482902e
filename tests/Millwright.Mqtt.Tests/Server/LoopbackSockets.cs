using System.Net;
using System.Net.Sockets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>What the socket-stream tests share: a connected pair of real loopback sockets, reading a peer to the end of what was sent, and a parked reader that counts its wakes.</summary>
internal static class LoopbackSockets
{
    public static async Task<(Socket Server, Socket Client)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await listener.AcceptAsync();
        return (server, client);
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes from the peer; the stream ending first fails the test.</summary>
    public static async Task<byte[]> ReceiveExactlyAsync(Socket peer, int length)
    {
        var received = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var n = await peer.ReceiveAsync(received.AsMemory(filled), SocketFlags.None);
            Assert.True(n > 0, "the stream closed early");
            filled += n;
        }

        return received;
    }
}

internal sealed class CountingReader : IParkedReader
{
    private int _resumed;

    public int Resumed => Volatile.Read(ref _resumed);

    public void Resume() => Interlocked.Increment(ref _resumed);
}
