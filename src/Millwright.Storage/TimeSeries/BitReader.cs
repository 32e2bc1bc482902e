using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Reads bits, most significant first, and refuses to read past the end. Each read loads the eight bytes
/// around the current position at once instead of looping over bits: decoding is the chart query's hot path.
/// </summary>
internal ref struct BitReader(ReadOnlySpan<byte> buffer)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private readonly long _length = (long)buffer.Length * 8;
    private long _bit;

    public readonly long Remaining => _length - _bit;

    /// <summary>Bytes consumed so far, the last one counted even when only partly read.</summary>
    public readonly int BytesConsumed => (int)((_bit + 7) >> 3);

    public bool ReadBit() => Read(1) != 0;

    /// <summary>Reads <paramref name="count"/> bits (0..64) as an unsigned number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read(int count)
    {
        if ((ulong)count > (ulong)(_length - _bit))
        {
            ThrowCutShort();
        }

        if (count == 0)
        {
            return 0;
        }

        if (count > 56)
        {
            // A shifted 8-byte load holds at least 57 bits; wider fields come in two pieces.
            var high = Take(count - 32);
            return (high << 32) | Take(32);
        }

        return Take(count);
    }

    /// <summary>Fills <paramref name="destination"/> with numbers of <paramref name="count"/> bits each (0..64).</summary>
    public void ReadMany(int count, scoped Span<ulong> destination)
    {
        if ((ulong)count * (ulong)destination.Length > (ulong)(_length - _bit))
        {
            ThrowCutShort();
        }

        if (count == 0)
        {
            destination.Clear();
        }
        else if (count > 56)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = Read(count);
            }
        }
        else
        {
            // One bounds check for the block instead of one per number.
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = Take(count);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Take(int count)
    {
        var index = (int)(_bit >> 3);
        ulong word;
        if (index + 8 <= _buffer.Length)
        {
            // In range: index + 8 <= length was just checked.
            word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(_buffer), index));
            if (BitConverter.IsLittleEndian)
            {
                word = BinaryPrimitives.ReverseEndianness(word);
            }
        }
        else
        {
            word = LoadTail(index);
        }

        var value = (word << (int)(_bit & 7)) >> (64 - count);
        _bit += count;
        return value;
    }

    private readonly ulong LoadTail(int index)
    {
        ulong word = 0;
        for (var i = 0; i < 8; i++)
        {
            word = (word << 8) | (index + i < _buffer.Length ? _buffer[index + i] : 0UL);
        }

        return word;
    }

    private static void ThrowCutShort() => throw new ChunkFormatException("the chunk ends in the middle of a value");
}
