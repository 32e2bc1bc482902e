namespace Millwright.Storage.TimeSeries;

/// <summary>Reads bits, most significant first, and refuses to read past the end.</summary>
internal ref struct BitReader(ReadOnlySpan<byte> buffer)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private long _bit;

    public readonly long Remaining => ((long)_buffer.Length * 8) - _bit;

    public bool ReadBit()
    {
        if (_bit >= (long)_buffer.Length * 8)
        {
            throw new ChunkFormatException("the chunk ends in the middle of a value");
        }

        var bit = (_buffer[(int)(_bit >> 3)] & (0x80 >> (int)(_bit & 7))) != 0;
        _bit++;
        return bit;
    }

    public ulong Read(int count)
    {
        if (count > Remaining)
        {
            throw new ChunkFormatException("the chunk ends in the middle of a value");
        }

        ulong value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | (ReadBit() ? 1UL : 0UL);
        }

        return value;
    }
}
