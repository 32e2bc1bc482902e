using System.Buffers;

namespace Millwright.Mqtt.Server;

/// <summary>The read side: decoding in order, holding back a client the writer cannot keep up with, buffer reuse.</summary>
internal sealed partial class MqttConnection
{
    /// <returns>True when the socket parked (the wake reads on), false at the end of the stream.</returns>
    private async Task<bool> ReadLoopAsync(CancellationToken ct)
    {
        // Bytes that came with CONNECT (a client may send SUBSCRIBE before it sees CONNACK) are decoded first.
        while (true)
        {
            while (_buffer is not null && _decoder.TryDecode(_buffer.AsSpan(_start, _end - _start), out var packet, out var consumed))
            {
                _start += consumed;
                await HandleAsync(packet, ct);
                if (Volatile.Read(ref _controlCount) >= MaxControlBacklog)
                {
                    await WaitForWriterAsync(ct);
                }
            }

            if (_buffer is null || _start == _end)
            {
                // Idle: wait for bytes holding no buffer. A socket that can park leaves this frame altogether (the
                // wake calls the loop again); another waits here, awaited in this frame rather than a nested one.
                ReturnBuffer();
                if (!ct.IsCancellationRequested && stream is EpollSocketStream parkable && parkable.TryPark(this))
                {
                    return true;
                }

                _ = await stream.ReadAsync(Memory<byte>.Empty, ct);
                _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
            }

            if (!await ReadMoreAsync(ct))
            {
                return false;
            }

            // A busy publisher's reads complete synchronously, so without this its loop would keep a pool
            // thread to itself; yielding after each read lets writers and other clients take their turn. The gate,
            // asked now that there is something to handle, may send a client that sends more than its share to
            // a few threads of its own.
            await new ReaderHop(server.Gate.ReaderScheduler(_client!));
        }
    }

    /// <summary>Stops reading this client until the writer has sent what it owes it.</summary>
    private async Task WaitForWriterAsync(CancellationToken ct)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _controlDrained, drained);
        WakeWriter();

        // The writer may have taken the backlog before it could see the signal; then there is nothing to wait for.
        if (Volatile.Read(ref _controlCount) >= MaxControlBacklog)
        {
            await drained.Task.WaitAsync(ct);
        }

        Volatile.Write(ref _controlDrained, null);
    }

    /// <summary>Reads more bytes, first waiting without a buffer when none are held; false at the end of the stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (_buffer is null || _start == _end)
        {
            ReturnBuffer();
            _ = await stream.ReadAsync(Memory<byte>.Empty, ct);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        }

        return await ReadMoreAsync(ct);
    }

    /// <summary>Reads more bytes into the buffer held; false at the end of the stream.</summary>
    private async ValueTask<bool> ReadMoreAsync(CancellationToken ct)
    {
        if (_end == _buffer!.Length)
        {
            // A packet larger than the buffer: move it to the front, or to a bigger buffer. The decoder has
            // already refused any remaining length beyond the maximum packet size.
            var length = _end - _start;
            var target = _start > 0 ? _buffer : ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, _start, target, 0, length);
            if (!ReferenceEquals(target, _buffer))
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }

            _start = 0;
            _end = length;
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (read == 0)
        {
            return false;
        }

        _end += read;
        Volatile.Write(ref _lastReceived, server.Now);
        return true;
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _start = _end = 0;
    }
}
