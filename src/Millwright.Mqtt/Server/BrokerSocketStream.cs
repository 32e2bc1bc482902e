using System.Net.Sockets;

namespace Millwright.Mqtt.Server;

/// <summary>
/// What the broker's plain TCP streams share: a stream over a socket it owns that cannot seek, sends a write the kernel
/// takes whole at once (nearly every write) and only the rest through .NET's asynchronous send, and closes its socket
/// as <see cref="NetworkStream"/> does. The two differ in how they read and in how they try a send at once.
/// </summary>
internal abstract class BrokerSocketStream(Socket socket) : Stream
{
    protected Socket Socket { get; } = socket;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>How each stream reads is its own; everything else here reads through it.</summary>
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sent = 0;
        while (sent < buffer.Length)
        {
            var n = TrySend(buffer.Span[sent..]);
            if (n < 0)
            {
                return SendRestAsync(buffer[sent..], cancellationToken);
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

    /// <summary>Sends what the kernel takes now without waiting: the bytes taken, or -1 when its buffer is full.</summary>
    /// <exception cref="IOException">The connection failed.</exception>
    protected abstract int TrySend(ReadOnlySpan<byte> data);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // As NetworkStream closes a socket it owns: FIN after what was written, then the close.
            try
            {
                Socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already reset by the peer, or disposed before.
            }

            Socket.Dispose();
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
                var n = await Socket.SendAsync(rest, SocketFlags.None, cancellationToken);
                rest = rest[n..];
            }
        }
        catch (SocketException e)
        {
            throw new IOException($"Unable to write data to the transport connection: {e.SocketErrorCode}.", e);
        }
    }
}
