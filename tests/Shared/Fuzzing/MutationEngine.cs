namespace Millwright.Fuzzing;

/// <summary>
/// A small, self-contained mutation fuzzer, shared by the test projects and bench fuzz drivers (linked as a file).
/// Each case takes one seed and applies 1-4 mutations: bit flips, interesting bytes, truncation, extension
/// with random bytes, splicing with another seed, deleting or duplicating a range, and overwriting a known
/// length/count field with a boundary value. The same seed number always yields the same cases.
/// </summary>
internal sealed class MutationEngine
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x7F, 0x80, 0x81, 0xFE, 0xFF];
    private static readonly ushort[] InterestingWords = [0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF];
    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly IReadOnlyList<(int Offset, int Width)> _fields;

    /// <param name="fields">Offsets and widths (1 or 2 bytes, big-endian) of length and count fields worth lying about.</param>
    public MutationEngine(IReadOnlyList<byte[]> seeds, int randomSeed, IReadOnlyList<(int Offset, int Width)> fields)
    {
        ArgumentOutOfRangeException.ThrowIfZero(seeds.Count);
        _seeds = seeds;
        _fields = fields;
        _random = new Random(randomSeed);
    }

    /// <summary>Returns the index of the seed the case grew from (to recover its context) and the mutated bytes.</summary>
    public (int SeedIndex, byte[] Input) Next()
    {
        var index = _random.Next(_seeds.Count);
        var data = _seeds[index];
        var mutations = 1 + _random.Next(4);
        for (var i = 0; i < mutations; i++)
        {
            data = Mutate(data);
        }

        return (index, data);
    }

    private byte[] Mutate(byte[] data)
    {
        switch (_random.Next(8))
        {
            case 0 when data.Length > 0:
            {
                var copy = (byte[])data.Clone();
                copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
                return copy;
            }

            case 1 when data.Length > 0:
            {
                var copy = (byte[])data.Clone();
                copy[_random.Next(copy.Length)] = _random.Next(2) == 0 ? InterestingBytes[_random.Next(InterestingBytes.Length)] : (byte)_random.Next(256);
                return copy;
            }

            case 2:
                return data[.._random.Next(data.Length + 1)];

            case 3:
            {
                var extra = new byte[1 + _random.Next(_random.Next(4) == 0 ? 300 : 16)];
                _random.NextBytes(extra);
                return [.. data, .. extra];
            }

            case 4:
            {
                var other = _seeds[_random.Next(_seeds.Count)];
                return [.. data.AsSpan(0, _random.Next(data.Length + 1)), .. other.AsSpan(_random.Next(other.Length + 1))];
            }

            case 5 when data.Length > 0:
            {
                var start = _random.Next(data.Length);
                var length = _random.Next(1, Math.Min(16, data.Length - start) + 1);
                return [.. data.AsSpan(0, start), .. data.AsSpan(start + length)];
            }

            case 6 when data.Length > 0:
            {
                var start = _random.Next(data.Length);
                var length = _random.Next(1, Math.Min(16, data.Length - start) + 1);
                return [.. data.AsSpan(0, start + length), .. data.AsSpan(start, length), .. data.AsSpan(start + length)];
            }

            default:
                return OverwriteField(data);
        }
    }

    private byte[] OverwriteField(byte[] data)
    {
        if (_fields.Count == 0)
        {
            return data;
        }

        var (offset, width) = _fields[_random.Next(_fields.Count)];
        if (offset + width > data.Length)
        {
            return data;
        }

        var copy = (byte[])data.Clone();
        // Near-miss lengths (the real remaining size +-2) find off-by-one checks; boundary words find the rest.
        var remaining = data.Length - offset - width;
        var value = _random.Next(3) switch
        {
            0 => (ushort)Math.Max(0, remaining + _random.Next(-2, 3)),
            1 => InterestingWords[_random.Next(InterestingWords.Length)],
            _ => (ushort)_random.Next(0x10000),
        };
        if (width == 1)
        {
            copy[offset] = (byte)value;
        }
        else
        {
            copy[offset] = (byte)(value >> 8);
            copy[offset + 1] = (byte)value;
        }

        return copy;
    }
}
