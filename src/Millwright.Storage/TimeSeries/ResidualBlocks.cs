using System.Numerics;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Packs unsigned residuals (zigzagged deltas or deltas of deltas) in blocks of 32 with one bit width per block,
/// after patched frame of reference (Zukowski et al., ICDE 2006): the few values wider than the block's width
/// carry their high bits as exceptions, so one gap in a steady series does not widen its whole block.
/// <code>
/// block:  7 bits  w, the width of every value's low bits (0..64)
///         1 bit   the block has exceptions
///         [5 bits e - 1, 6 bits h - 1]  (w + h &lt;= 64)
///         count times w bits  the low parts
///         [e times: 5 bits position, h bits high part]
/// </code>
/// A block of zeros costs 8 bits, a quarter of a bit per value.
/// </summary>
internal static class ResidualBlocks
{
    public const int Size = 32;

    public static void Write(BitWriter bits, ReadOnlySpan<ulong> values)
    {
        for (var start = 0; start < values.Length; start += Size)
        {
            var block = values.Slice(start, Math.Min(Size, values.Length - start));
            var (width, highWidth, _) = Plan(block);
            bits.Write((ulong)width, 7);
            var exceptions = 0;
            if (highWidth > 0)
            {
                foreach (var value in block)
                {
                    exceptions += BitLength(value) > width ? 1 : 0;
                }
            }

            bits.WriteBit(exceptions > 0);
            if (exceptions > 0)
            {
                bits.Write((ulong)(exceptions - 1), 5);
                bits.Write((ulong)(highWidth - 1), 6);
            }

            foreach (var value in block)
            {
                bits.Write(value, width);
            }

            for (var i = 0; i < block.Length && exceptions > 0; i++)
            {
                if (BitLength(block[i]) > width)
                {
                    bits.Write((ulong)i, 5);
                    bits.Write(block[i] >> width, highWidth);
                }
            }
        }
    }

    /// <summary>The exact number of bits <see cref="Write"/> spends on these values.</summary>
    public static long Cost(ReadOnlySpan<ulong> values)
    {
        long total = 0;
        for (var start = 0; start < values.Length; start += Size)
        {
            total += Plan(values.Slice(start, Math.Min(Size, values.Length - start))).Bits;
        }

        return total;
    }

    /// <summary>Reads <c>destination.Length</c> values (one block, at most <see cref="Size"/>).</summary>
    public static void ReadBlock(ref BitReader bits, scoped Span<ulong> destination)
    {
        var width = (int)bits.Read(7);
        if (width > 64)
        {
            throw new ChunkFormatException($"a block width of {width} bits");
        }

        int exceptions = 0, highWidth = 0;
        if (bits.ReadBit())
        {
            exceptions = (int)bits.Read(5) + 1;
            highWidth = (int)bits.Read(6) + 1;
            if (width + highWidth > 64)
            {
                throw new ChunkFormatException($"a block's exceptions reach past 64 bits ({width} + {highWidth})");
            }
        }

        bits.ReadMany(width, destination);

        for (var i = 0; i < exceptions; i++)
        {
            var position = (int)bits.Read(5);
            if (position >= destination.Length)
            {
                throw new ChunkFormatException($"a block exception at position {position} of {destination.Length}");
            }

            destination[position] |= bits.Read(highWidth) << width;
        }
    }

    /// <summary>Picks the width that makes the block smallest, from a histogram of the values' bit lengths.</summary>
    private static (int Width, int HighWidth, long Bits) Plan(ReadOnlySpan<ulong> block)
    {
        Span<int> lengths = stackalloc int[65];
        lengths.Clear();
        var widest = 0;
        foreach (var value in block)
        {
            var length = BitLength(value);
            lengths[length]++;
            widest = Math.Max(widest, length);
        }

        // wider[w] = how many values need more than w bits, built from the top down.
        long best = 8 + ((long)block.Length * widest);
        int bestWidth = widest, bestHigh = 0, wider = 0;
        for (var width = widest - 1; width >= 0; width--)
        {
            wider += lengths[width + 1];
            var high = widest - width;
            var cost = 8 + 11 + ((long)block.Length * width) + ((long)wider * (5 + high));
            if (cost < best)
            {
                (best, bestWidth, bestHigh) = (cost, width, high);
            }
        }

        return (bestWidth, bestHigh, best);
    }

    private static int BitLength(ulong value) => 64 - BitOperations.LeadingZeroCount(value);
}
