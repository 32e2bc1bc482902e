namespace Millwright.Storage.TimeSeries;

/// <summary>Appends bits, most significant first, to a growing byte buffer.</summary>
internal sealed class BitWriter
{
    private byte[] _buffer = new byte[64];
    private long _bits;

    public long BitCount => _bits;

    public void Write(ulong value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            WriteBit(((value >> i) & 1) != 0);
        }
    }

    public void WriteBit(bool bit)
    {
        var index = (int)(_bits >> 3);
        if (index == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        if (bit)
        {
            _buffer[index] |= (byte)(0x80 >> (int)(_bits & 7));
        }

        _bits++;
    }

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, (int)((_bits + 7) >> 3));
}
