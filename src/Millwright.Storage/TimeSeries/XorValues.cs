using System.Numerics;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Gorilla's value encoding (Pelkonen et al., VLDB 2015): each double as the XOR with the previous one, sending
/// only the meaningful bits. Keeps every bit of any double, so it is the fallback for values no decimal fits.
/// </summary>
internal static class XorValues
{
    public static void Write(BitWriter bits, ReadOnlySpan<double> values)
    {
        var previous = BitConverter.DoubleToUInt64Bits(values[0]);
        bits.Write(previous, 64);
        int windowLeading = -1, windowLength = 0;
        for (var i = 1; i < values.Length; i++)
        {
            var value = BitConverter.DoubleToUInt64Bits(values[i]);
            var xor = value ^ previous;
            previous = value;
            if (xor == 0)
            {
                bits.Write(0, 1);
                continue;
            }

            var leading = BitOperations.LeadingZeroCount(xor);
            var trailing = BitOperations.TrailingZeroCount(xor);
            if (windowLeading >= 0 && leading >= windowLeading && trailing >= 64 - windowLeading - windowLength)
            {
                // The meaningful bits fit in the previous window: send only them.
                bits.Write(0b10, 2);
                bits.Write(xor >> (64 - windowLeading - windowLength), windowLength);
            }
            else
            {
                windowLeading = leading;
                windowLength = 64 - leading - trailing;
                bits.Write(0b11, 2);
                bits.Write((ulong)windowLeading, 6);
                bits.Write((ulong)(windowLength - 1), 6);
                bits.Write(xor >> trailing, windowLength);
            }
        }
    }

    public static void Read(ref BitReader bits, Span<double> destination)
    {
        var value = bits.Read(64);
        destination[0] = BitConverter.UInt64BitsToDouble(value);
        int windowLeading = -1, windowLength = 0;
        for (var i = 1; i < destination.Length; i++)
        {
            if (bits.ReadBit())
            {
                if (bits.ReadBit())
                {
                    windowLeading = (int)bits.Read(6);
                    windowLength = (int)bits.Read(6) + 1;
                    if (windowLeading + windowLength > 64)
                    {
                        throw new ChunkFormatException($"point {i} has a value window beyond 64 bits");
                    }
                }
                else if (windowLeading < 0)
                {
                    throw new ChunkFormatException($"point {i} reuses a window no point has set");
                }

                value ^= bits.Read(windowLength) << (64 - windowLeading - windowLength);
            }

            destination[i] = BitConverter.UInt64BitsToDouble(value);
        }
    }
}
