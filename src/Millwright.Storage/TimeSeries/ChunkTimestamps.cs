using System.Buffers;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// The timestamps of a chunk, right after the count. Machines report on a cadence with a few milliseconds of
/// jitter, so the encoder tries three views and keeps the smallest: offsets from a regular grid (pure jitter),
/// deltas from a base delta (jitter twice), and deltas of deltas (steady drift, gaps).
/// <code>
/// varint  t0, zigzag
/// n > 1:  byte order (0 grid, 1 deltas, 2 deltas of deltas), varint D (1..2^63-1), [order 0: varint G, zigzag]
///         then bits: for i = 1..n-1 the zigzagged residual in ResidualBlocks, padded to a byte:
///           0: t_i - (t0 + G + i·D), in wrapping 64-bit arithmetic (G centres the grid: t0 jitters too)
///           1: (t_i - t_(i-1)) - D
///           2: (t_i - t_(i-1)) - (t_(i-1) - t_(i-2)), where the delta before t1 is D
/// </code>
/// </summary>
internal static class ChunkTimestamps
{
    public static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<long> timestamps)
    {
        ChunkVarint.Write(output, ChunkVarint.ZigZag(timestamps[0]));
        var n = timestamps.Length;
        if (n == 1)
        {
            return;
        }

        var deltas = new long[n - 1];
        for (var i = 1; i < n; i++)
        {
            deltas[i - 1] = timestamps[i] - timestamps[i - 1];
            if (deltas[i - 1] <= 0 || timestamps[i] < timestamps[i - 1])
            {
                throw new ArgumentException($"timestamps must strictly increase, less than 2^63 ms apart (point {i})");
            }
        }

        var median = SampleMedian.Of(deltas);
        var span = (ulong)timestamps[n - 1] - (ulong)timestamps[0];
        var gridStep = (span + ((ulong)(n - 1) / 2)) / (ulong)(n - 1);

        var best = (Order: -1, Base: 0L, Offset: 0L, Residuals: Array.Empty<ulong>(), Cost: long.MaxValue);
        for (var order = 0; order <= 2; order++)
        {
            if (order == 0 && gridStep > long.MaxValue)
            {
                continue;
            }

            var step = order switch { 0 => (long)gridStep, 1 => median, _ => deltas[0] };
            var (offset, residuals) = Residuals(timestamps, deltas, order, step);
            var cost = ResidualBlocks.Cost(residuals);
            if (cost < best.Cost)
            {
                best = (order, step, offset, residuals, cost);
            }
        }

        output.Write([(byte)best.Order]);
        ChunkVarint.Write(output, (ulong)best.Base);
        if (best.Order == 0)
        {
            ChunkVarint.Write(output, ChunkVarint.ZigZag(best.Offset));
        }

        var bits = new BitWriter((int)(best.Cost / 8) + 8);
        ResidualBlocks.Write(bits, best.Residuals);
        output.Write(bits.Finish());
    }

    /// <summary>Reads the timestamps at <paramref name="position"/> and moves it past them.</summary>
    public static void Read(ReadOnlySpan<byte> chunk, ref int position, Span<long> destination)
    {
        var time = ChunkVarint.UnZigZag(ChunkVarint.Read(chunk, ref position));
        destination[0] = time;
        if (destination.Length == 1)
        {
            return;
        }

        if (position >= chunk.Length || chunk[position] > 2)
        {
            throw new ChunkFormatException(position >= chunk.Length ? "the chunk header is cut short" : $"unknown timestamp order {chunk[position]}");
        }

        var order = chunk[position++];
        var step = ChunkVarint.Read(chunk, ref position);
        if (step is 0 or > long.MaxValue)
        {
            throw new ChunkFormatException($"a base delta of {step} ms");
        }

        var grid = order == 0 ? unchecked(time + ChunkVarint.UnZigZag(ChunkVarint.Read(chunk, ref position))) : 0;
        var bits = new BitReader(chunk[position..]);
        Span<ulong> block = stackalloc ulong[ResidualBlocks.Size];
        var delta = (long)step;
        for (var start = 1; start < destination.Length; start += ResidualBlocks.Size)
        {
            var residuals = block[..Math.Min(ResidualBlocks.Size, destination.Length - start)];
            ResidualBlocks.ReadBlock(ref bits, residuals);
            var target = destination.Slice(start, residuals.Length);
            for (var i = 0; i < residuals.Length; i++)
            {
                var residual = ChunkVarint.UnZigZag(residuals[i]);
                long next;
                if (order == 0)
                {
                    grid = unchecked(grid + (long)step);
                    next = unchecked(grid + residual);
                }
                else
                {
                    // Only bad bytes make these sums wrap: a delta that is not positive, or a time past the end of
                    // the 64-bit range, fails the test below; a wrong positive delta gives wrong but increasing times.
                    delta = order == 1 ? unchecked((long)step + residual) : unchecked(delta + residual);
                    next = delta > 0 && time <= long.MaxValue - delta ? time + delta : time;
                }

                if (next <= time)
                {
                    throw new ChunkFormatException($"timestamps do not increase at point {start + i}");
                }

                time = next;
                target[i] = time;
            }
        }

        position += bits.BytesConsumed;
    }

    private static (long Offset, ulong[] Residuals) Residuals(ReadOnlySpan<long> timestamps, long[] deltas, int order, long step)
    {
        var residuals = new ulong[deltas.Length];
        if (order == 0)
        {
            // The grid wraps on purpose: the decoder repeats the same wrapping sums.
            var offsets = new long[deltas.Length];
            var grid = timestamps[0];
            for (var i = 0; i < offsets.Length; i++)
            {
                offsets[i] = unchecked(timestamps[i + 1] - (grid += step));
            }

            var offset = SampleMedian.Of(offsets);
            for (var i = 0; i < offsets.Length; i++)
            {
                residuals[i] = ChunkVarint.ZigZag(unchecked(offsets[i] - offset));
            }

            return (offset, residuals);
        }

        var previous = step;
        for (var i = 0; i < deltas.Length; i++)
        {
            // Deltas are positive, so differences of two deltas cannot overflow.
            residuals[i] = ChunkVarint.ZigZag(deltas[i] - (order == 1 ? step : previous));
            previous = deltas[i];
        }

        return (0, residuals);
    }
}
