namespace Millwright.Fuzzing;

/// <summary>
/// A small, protocol-agnostic mutation engine: each case takes a random seed input and stacks one to three
/// mutations (bit flips, truncation, extension with random bytes, splicing with another seed, overwriting a
/// varint or length byte with boundary values, inserting, deleting or duplicating a chunk). Deterministic for a
/// given seed, so a run can be replayed. Self-contained on purpose: the MQTT and Modbus fuzzers use the same file.
/// </summary>
internal sealed class MutationEngine
{
    // Boundary varints: zero, one, the one-byte maximum, multi-byte forms, and lengths far beyond any input.
    private static readonly byte[][] InterestingVarints =
    [
        [0x00], [0x01], [0x7F], [0x80, 0x01], [0xFF, 0x7F], [0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
        [0xFF, 0xFF, 0xFF, 0xFF, 0x07], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
    ];

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0A, 0x12, 0x1A, 0x22, 0x08];

    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly int _maxLength;

    public MutationEngine(IReadOnlyList<byte[]> seeds, int randomSeed, int maxLength = 64 * 1024)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("At least one seed input is needed.", nameof(seeds));
        }

        _seeds = seeds;
        _random = new Random(randomSeed);
        _maxLength = maxLength;
    }

    public Random Random => _random;

    /// <summary>Returns the index of the seed used and the mutated bytes.</summary>
    public (int SeedIndex, byte[] Input) Next()
    {
        var seedIndex = _random.Next(_seeds.Count);
        var data = new List<byte>(_seeds[seedIndex]);
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            Mutate(data);
        }

        if (data.Count > _maxLength)
        {
            data.RemoveRange(_maxLength, data.Count - _maxLength);
        }

        return (seedIndex, [.. data]);
    }

    private void Mutate(List<byte> data)
    {
        switch (_random.Next(8))
        {
            case 0: FlipBits(data); break;
            case 1: Truncate(data); break;
            case 2: Extend(data); break;
            case 3: Splice(data); break;
            case 4: OverwriteVarint(data); break;
            case 5: OverwriteByte(data); break;
            case 6: DeleteChunk(data); break;
            default: DuplicateChunk(data); break;
        }
    }

    private void FlipBits(List<byte> data)
    {
        if (data.Count == 0)
        {
            return;
        }

        var flips = 1 + _random.Next(8);
        for (var i = 0; i < flips; i++)
        {
            var at = _random.Next(data.Count);
            data[at] ^= (byte)(1 << _random.Next(8));
        }
    }

    private void Truncate(List<byte> data)
    {
        if (data.Count > 0)
        {
            var keep = _random.Next(data.Count);
            data.RemoveRange(keep, data.Count - keep);
        }
    }

    private void Extend(List<byte> data)
    {
        var extra = new byte[1 + _random.Next(64)];
        _random.NextBytes(extra);
        data.InsertRange(_random.Next(2) == 0 ? data.Count : _random.Next(data.Count + 1), extra);
    }

    private void Splice(List<byte> data)
    {
        var other = _seeds[_random.Next(_seeds.Count)];
        var cut = _random.Next(data.Count + 1);
        var from = _random.Next(other.Length + 1);
        data.RemoveRange(cut, data.Count - cut);
        data.AddRange(other.AsSpan(from).ToArray());
    }

    // Length prefixes follow tags of wire type 2 ((tag & 7) == 2 in protobuf; MQTT and Modbus have their own
    // length bytes, which a random position also hits). Overwrite the byte after such a tag with a boundary varint.
    private void OverwriteVarint(List<byte> data)
    {
        if (data.Count < 2)
        {
            return;
        }

        var at = _random.Next(data.Count - 1) + 1;
        for (var tries = 0; tries < 16; tries++)
        {
            var candidate = _random.Next(data.Count - 1);
            if ((data[candidate] & 7) == 2)
            {
                at = candidate + 1;
                break;
            }
        }

        var varint = InterestingVarints[_random.Next(InterestingVarints.Length)];
        var old = 1;
        while (at + old - 1 < data.Count && (data[at + old - 1] & 0x80) != 0 && old < 10)
        {
            old++;
        }

        data.RemoveRange(at, Math.Min(old, data.Count - at));
        data.InsertRange(at, varint);
    }

    private void OverwriteByte(List<byte> data)
    {
        if (data.Count > 0)
        {
            data[_random.Next(data.Count)] = InterestingBytes[_random.Next(InterestingBytes.Length)];
        }
    }

    private void DeleteChunk(List<byte> data)
    {
        if (data.Count > 0)
        {
            var at = _random.Next(data.Count);
            data.RemoveRange(at, Math.Min(1 + _random.Next(16), data.Count - at));
        }
    }

    private void DuplicateChunk(List<byte> data)
    {
        if (data.Count > 0)
        {
            var at = _random.Next(data.Count);
            var chunk = data.GetRange(at, Math.Min(1 + _random.Next(32), data.Count - at));
            data.InsertRange(_random.Next(data.Count + 1), chunk);
        }
    }
}
