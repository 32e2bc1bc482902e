using System.Net.Sockets;

namespace Millwright.Mqtt.Server;

/// <summary>
/// A plain TCP connection's stream. Unlike <see cref="NetworkStream"/>, a write that the kernel takes whole (nearly
/// every write) is sent at once without .NET's awaitable send arguments, which a socket otherwise keeps for its life
/// (about 0.3 KB for each idle client). Only a write the kernel cannot take at once goes through the asynchronous
/// send, and only such a socket keeps those arguments.
/// </summary>
internal sealed class SocketStream : Stream
{
    private readonly Socket _socket;

    public SocketStream(Socket socket)
    {
        _socket = socket;
        // Synchronous sends answer WouldBlock instead of waiting; asynchronous operations are not affected.
        _socket.Blocking = false;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <remarks>
    /// Returns the socket's own pending read: wrapping it (to turn a <see cref="SocketException"/> into an
    /// <see cref="IOException"/>) would cost each idle client a suspended frame. Readers take both as a lost peer.
    /// </remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sent = 0;
        while (sent < buffer.Length)
        {
            var n = _socket.Send(buffer.Span[sent..], SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return SendRestAsync(buffer[sent..], cancellationToken);
            }

            if (error != SocketError.Success)
            {
                throw new IOException($"Unable to write data to the transport connection: {error}.", new SocketException((int)error));
            }

            sent += n;
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
        if (disposing)
        {
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
