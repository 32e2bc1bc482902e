using System.Buffers.Binary;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Appends bits, most significant first, to a growing byte buffer. Bits gather in a 64-bit accumulator and
/// reach the buffer eight bytes at a time, because a bit-by-bit writer spent most of the encoder's time.
/// </summary>
internal sealed class BitWriter
{
    private byte[] _buffer;
    private int _bytes;
    private ulong _accumulator;
    private int _pending;

    public BitWriter(int capacityBytes = 64) => _buffer = new byte[Math.Max(16, capacityBytes)];

    public long BitCount => ((long)_bytes * 8) + _pending;

    /// <summary>Writes the low <paramref name="count"/> bits (0..64) of <paramref name="value"/>.</summary>
    public void Write(ulong value, int count)
    {
        if (count == 0)
        {
            return;
        }

        if (count < 64)
        {
            value &= (1UL << count) - 1;
        }

        var free = 64 - _pending;
        if (count < free)
        {
            _accumulator = (_accumulator << count) | value;
            _pending += count;
            return;
        }

        // The value fills the accumulator: its top `free` bits complete the word, the rest start the next one.
        var spill = count - free;
        var word = free == 64 ? value : (_accumulator << free) | (value >> spill);
        Flush(word);
        _accumulator = spill == 0 ? 0 : value & ((1UL << spill) - 1);
        _pending = spill;
    }

    public void WriteBit(bool bit) => Write(bit ? 1UL : 0UL, 1);

    /// <summary>Pads the last byte with zero bits and returns every byte written.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        if (_pending > 0)
        {
            var word = _accumulator << (64 - _pending);
            var length = (_pending + 7) >> 3;
            EnsureRoom(8);
            BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(_bytes), word);
            _bytes += length;
            _accumulator = 0;
            _pending = 0;
        }

        return _buffer.AsSpan(0, _bytes);
    }

    private void Flush(ulong word)
    {
        EnsureRoom(8);
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(_bytes), word);
        _bytes += 8;
    }

    private void EnsureRoom(int bytes)
    {
        if (_bytes + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _bytes + bytes));
        }
    }
}
