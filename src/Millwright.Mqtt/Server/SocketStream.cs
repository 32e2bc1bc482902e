using System.Net.Sockets;

namespace Millwright.Mqtt.Server;

/// <summary>
/// A plain TCP connection's stream on .NET's socket operations (parking off, or no readiness loop). Unlike
/// <see cref="NetworkStream"/>, a write that the kernel takes whole is sent at once without .NET's awaitable send
/// arguments, which a socket otherwise keeps for its life (about 0.3 KB for each idle client).
/// </summary>
internal sealed class SocketStream : BrokerSocketStream
{
    public SocketStream(Socket socket)
        : base(socket)
    {
        // Synchronous sends answer WouldBlock instead of waiting; asynchronous operations are not affected.
        Socket.Blocking = false;
    }

    /// <remarks>
    /// Returns the socket's own pending read: wrapping it (to turn a <see cref="SocketException"/> into an
    /// <see cref="IOException"/>) would cost each idle client a suspended frame. Readers take both as a lost peer.
    /// </remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    protected override int TrySend(ReadOnlySpan<byte> data)
    {
        var n = Socket.Send(data, SocketFlags.None, out var error);
        return error switch
        {
            SocketError.Success => n,
            SocketError.WouldBlock => -1,
            _ => throw new IOException($"Unable to write data to the transport connection: {error}.", new SocketException((int)error)),
        };
    }
}
