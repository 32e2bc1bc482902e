using System.Buffers;
using System.Buffers.Binary;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Values that are decimals with at most six places (what Math.Round leaves behind) as scaled integers: a
/// rounded decimal's double has a long, noisy mantissa that XOR coding cannot shrink, while the integer
/// behind it changes by a few units a second. Section layout (docs/timeseries-chunk.md):
/// <code>
/// byte    k, the decimal places (0..6); value = s / 10^k
/// byte    order: residual i (1..n-1) is 0 = s_i - s_0, 1 = s_i - s_(i-1), 2 = the delta of deltas
/// varint  s0, zigzag
/// varint  B, zigzag, the median of the view below, subtracted from each residual
/// varint  x, raw values (0..n-1), then x times: varint gap to the previous one's index (+1), 8 bytes big-endian
/// bits    n - 1 zigzagged residuals minus B in <see cref="ResidualBlocks"/>
/// </code>
/// A raw value (NaN, -0.0, 0.1 + 0.2, ...) keeps its bits in the list; its place in the residuals repeats the
/// value before it, so one odd reading does not send a whole chunk of decimals to XOR.
/// </summary>
internal static class DecimalValues
{
    public const int MaxScale = 6;
    private const long Limit = 1L << 53;
    private static readonly double[] Powers = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

    /// <summary>The section for these values, or null when none is a decimal of up to six places.</summary>
    public static byte[]? TryEncode(ReadOnlySpan<double> values)
    {
        var scaled = new long[values.Length];
        List<int> raw = [];
        if (!TryScale(values, scaled, raw, out var scale))
        {
            return null;
        }

        // Three ways to see the series, one of which is usually much smaller: a gauge that wanders around a level
        // (offsets from the first value), one that drifts (deltas), a counter that climbs steadily (deltas of deltas).
        // Each is taken relative to its median, so a counter climbing 5 units a second costs its wobble, not the 5.
        long[][] views = [new long[values.Length - 1], new long[values.Length - 1], new long[values.Length - 1]];
        long previousDelta = 0;
        for (var i = 1; i < scaled.Length; i++)
        {
            // |s| <= 2^53, so no difference can overflow.
            var delta = scaled[i] - scaled[i - 1];
            views[0][i - 1] = scaled[i] - scaled[0];
            views[1][i - 1] = delta;
            views[2][i - 1] = delta - previousDelta;
            previousDelta = delta;
        }

        var best = (Order: 0, Base: 0L, Residuals: Array.Empty<ulong>(), Cost: long.MaxValue);
        for (var order = 0; order < views.Length; order++)
        {
            var median = SampleMedian.Of(views[order]);
            var residuals = new ulong[views[order].Length];
            for (var i = 0; i < residuals.Length; i++)
            {
                residuals[i] = ChunkVarint.ZigZag(views[order][i] - median);
            }

            var cost = ResidualBlocks.Cost(residuals);
            if (cost < best.Cost)
            {
                best = (order, median, residuals, cost);
            }
        }

        var header = new ArrayBufferWriter<byte>(24);
        header.Write([(byte)scale, (byte)best.Order]);
        ChunkVarint.Write(header, ChunkVarint.ZigZag(scaled[0]));
        ChunkVarint.Write(header, ChunkVarint.ZigZag(best.Base));
        ChunkVarint.Write(header, (ulong)raw.Count);
        var previous = -1;
        foreach (var index in raw)
        {
            ChunkVarint.Write(header, (ulong)(index - previous - 1));
            BinaryPrimitives.WriteUInt64BigEndian(header.GetSpan(8), BitConverter.DoubleToUInt64Bits(values[index]));
            header.Advance(8);
            previous = index;
        }
        var bits = new BitWriter((int)(best.Cost / 8) + 8);
        ResidualBlocks.Write(bits, best.Residuals);
        return [.. header.WrittenSpan, .. bits.Finish()];
    }

    /// <summary>
    /// Finds the fewest decimal places k with value == (double)round(value * 10^k) / 10^k, bit for bit, for every
    /// value that has such a k at all (the others go to <paramref name="raw"/>). If s / 10^k is exact then
    /// 10s / 10^(k+1) is the same correctly rounded quotient, so k only ever has to grow; the last pass checks
    /// every value at the chunk's k, and one that fails there (it would pass the 2^53 bound only at a smaller k)
    /// is raw too. False when every value is raw.
    /// </summary>
    internal static bool TryScale(ReadOnlySpan<double> values, Span<long> scaled, List<int> raw, out int scale)
    {
        scale = 0;
        foreach (var value in values)
        {
            var k = scale;
            while (k <= MaxScale && !TryScaleOne(value, k, out _))
            {
                k++;
            }

            scale = k <= MaxScale ? k : scale;
        }

        int firstRegular = -1;
        for (var i = 0; i < values.Length; i++)
        {
            if (TryScaleOne(values[i], scale, out scaled[i]))
            {
                firstRegular = firstRegular < 0 ? i : firstRegular;
            }
            else
            {
                raw.Add(i);
            }
        }

        if (firstRegular < 0)
        {
            return false;
        }

        // A raw value repeats the regular value before it (the first regular one at the start): no residual cost.
        var previous = scaled[firstRegular];
        var next = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (next < raw.Count && raw[next] == i)
            {
                scaled[i] = previous;
                next++;
            }

            previous = scaled[i];
        }

        return true;
    }

    public static void Read(ReadOnlySpan<byte> section, Span<double> destination)
    {
        if (section.Length < 2)
        {
            throw new ChunkFormatException("the decimal header is cut short");
        }

        int scale = section[0], order = section[1];
        if (scale > MaxScale || order > 2)
        {
            throw new ChunkFormatException($"decimal scale {scale} or order {order} is not 0..6 and 0..2");
        }

        var position = 2;
        var first = ChunkVarint.UnZigZag(ChunkVarint.Read(section, ref position));
        var bias = ChunkVarint.UnZigZag(ChunkVarint.Read(section, ref position));
        var rawCount = ChunkVarint.Read(section, ref position);
        if (rawCount >= (ulong)destination.Length || rawCount > (ulong)(section.Length - position) / 9)
        {
            throw new ChunkFormatException($"{rawCount} raw values among {destination.Length} points");
        }

        // The raw values are applied after the residuals; skip them for now.
        var rawStart = position;
        for (var i = 0UL; i < rawCount; i++)
        {
            ChunkVarint.Read(section, ref position);
            position += 8;
            if (position > section.Length)
            {
                throw new ChunkFormatException("a raw value is cut short");
            }
        }

        var current = first;
        var divisor = Powers[scale];
        destination[0] = current / divisor;
        var bits = new BitReader(section[position..]);
        Span<ulong> block = stackalloc ulong[ResidualBlocks.Size];
        long delta = 0;
        for (var start = 1; start < destination.Length; start += ResidualBlocks.Size)
        {
            var count = Math.Min(ResidualBlocks.Size, destination.Length - start);
            var residuals = block[..count];
            ResidualBlocks.ReadBlock(ref bits, residuals);
            var target = destination.Slice(start, count);

            // Bad bytes may wrap these sums; they give wrong numbers, never an exception or a crash.
            if (order == 0)
            {
                for (var i = 0; i < residuals.Length; i++)
                {
                    target[i] = (first + bias + ChunkVarint.UnZigZag(residuals[i])) / divisor;
                }
            }
            else if (order == 1)
            {
                for (var i = 0; i < residuals.Length; i++)
                {
                    current += bias + ChunkVarint.UnZigZag(residuals[i]);
                    target[i] = current / divisor;
                }
            }
            else
            {
                for (var i = 0; i < residuals.Length; i++)
                {
                    delta += bias + ChunkVarint.UnZigZag(residuals[i]);
                    current += delta;
                    target[i] = current / divisor;
                }
            }
        }

        TimeSeriesChunk.EnsureEnd(bits);
        var index = -1L;
        for (var i = 0UL; i < rawCount; i++)
        {
            index += 1 + (long)Math.Min(ChunkVarint.Read(section, ref rawStart), (ulong)destination.Length);
            if (index >= destination.Length)
            {
                throw new ChunkFormatException($"a raw value at point {index} of {destination.Length}");
            }

            destination[(int)index] = BitConverter.UInt64BitsToDouble(BinaryPrimitives.ReadUInt64BigEndian(section[rawStart..]));
            rawStart += 8;
        }
    }

    private static bool TryScaleOne(double value, int scale, out long scaled)
    {
        var product = Math.Round(value * Powers[scale]);
        scaled = 0;
        if (!(Math.Abs(product) <= Limit))
        {
            return false; // NaN, infinities, and integers doubles cannot hold exactly.
        }

        scaled = (long)product;
        return BitConverter.DoubleToInt64Bits(scaled / Powers[scale]) == BitConverter.DoubleToInt64Bits(value);
    }
}
