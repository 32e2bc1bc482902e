namespace Millwright.Fuzzing;

/// <summary>
/// The one mutation engine of the test suite and of bench/Millwright.Fuzz. Each case takes one seed and stacks
/// one to four mutations: bit flips, interesting and random bytes, truncation, extension and insertion,
/// deleting or duplicating a range, splicing with or appending another seed, a boundary varint after a
/// length-delimited tag, a lie in a known length or count field, and whatever format-aware mutations the
/// target adds (<see cref="MutationOptions.Structural"/>). The same random seed always yields the same cases,
/// so every finding can be replayed.
/// </summary>
internal sealed class MutationEngine
{
    private const int GenericMutations = 12;

    private static readonly ushort[] InterestingWords = [0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF];

    // Boundary varints (protobuf and MQTT lengths): zero, one, the one-byte maximum, multi-byte and over-long forms.
    private static readonly byte[][] InterestingVarints =
    [
        [0x00], [0x01], [0x7F], [0x80, 0x01], [0xFF, 0x7F], [0xFF, 0xFF, 0xFF, 0x7F], [0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
        [0xFF, 0xFF, 0xFF, 0xFF, 0x07], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
    ];

    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly MutationOptions _options;

    public MutationEngine(IReadOnlyList<byte[]> seeds, int randomSeed, MutationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentOutOfRangeException.ThrowIfZero(seeds.Count);
        _seeds = seeds;
        _options = options ?? new MutationOptions();
        _random = new Random(randomSeed);
    }

    /// <param name="fields">Offsets and widths (1 or 2 bytes, big-endian) of length and count fields worth lying about.</param>
    public MutationEngine(IReadOnlyList<byte[]> seeds, int randomSeed, IReadOnlyList<(int Offset, int Width)> fields)
        : this(seeds, randomSeed, new MutationOptions { Fields = fields })
    {
    }

    /// <summary>The engine's random stream, for a target's own deterministic choices (which topic, which variant).</summary>
    public Random Random => _random;

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

        return (index, data.Length > _options.MaxLength ? data[.._options.MaxLength] : data);
    }

    private byte[] Mutate(byte[] data)
    {
        var choice = _random.Next(GenericMutations + _options.Structural.Count);
        if (choice >= GenericMutations)
        {
            return _options.Structural[choice - GenericMutations](_random, data);
        }

        switch (choice)
        {
            case 0 when data.Length > 0:
            {
                var copy = (byte[])data.Clone();
                var flips = 1 + _random.Next(4);
                for (var i = 0; i < flips; i++)
                {
                    copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return copy;
            }

            case 1 when data.Length > 0:
            {
                var copy = (byte[])data.Clone();
                copy[_random.Next(copy.Length)] = Interesting();
                return copy;
            }

            case 2 when data.Length > 0:
            {
                var copy = (byte[])data.Clone();
                copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
                return copy;
            }

            case 3:
                return data[.._random.Next(data.Length + 1)];

            case 4:
            {
                // Mostly short tails; now and then a long one, past any length a seed announced.
                var extra = new byte[1 + _random.Next(_random.Next(4) == 0 ? 300 : 16)];
                _random.NextBytes(extra);
                return [.. data, .. extra];
            }

            case 5:
            {
                var at = _random.Next(data.Length + 1);
                var extra = new byte[1 + _random.Next(8)];
                for (var i = 0; i < extra.Length; i++)
                {
                    extra[i] = _random.Next(2) == 0 ? Interesting() : (byte)_random.Next(256);
                }

                return [.. data.AsSpan(0, at), .. extra, .. data.AsSpan(at)];
            }

            case 6 when data.Length > 0:
            {
                var start = _random.Next(data.Length);
                var length = _random.Next(1, Math.Min(16, data.Length - start) + 1);
                return [.. data.AsSpan(0, start), .. data.AsSpan(start + length)];
            }

            case 7 when data.Length > 0:
            {
                // Repeated properties, filters, metrics, packets.
                var start = _random.Next(data.Length);
                var length = _random.Next(1, Math.Min(32, data.Length - start) + 1);
                return [.. data.AsSpan(0, start + length), .. data.AsSpan(start, length), .. data.AsSpan(start + length)];
            }

            case 8:
            {
                // Our head with another seed's tail.
                var other = _seeds[_random.Next(_seeds.Count)];
                return [.. data.AsSpan(0, _random.Next(data.Length + 1)), .. other.AsSpan(_random.Next(other.Length + 1))];
            }

            case 9:
                // A stream of several messages.
                return [.. data, .. _seeds[_random.Next(_seeds.Count)]];

            case 10:
                return OverwriteVarint(data);

            default:
                return OverwriteField(data);
        }
    }

    private byte Interesting() => _options.InterestingBytes.Count == 0
        ? (byte)_random.Next(256)
        : _options.InterestingBytes[_random.Next(_options.InterestingBytes.Count)];

    // A length prefix follows a tag of wire type 2 in protobuf ((tag & 7) == 2); MQTT's and Modbus's own
    // length bytes are hit by the random position. Replaces the varint there with a boundary one.
    private byte[] OverwriteVarint(byte[] data)
    {
        if (data.Length < 2)
        {
            return data;
        }

        var at = _random.Next(data.Length - 1) + 1;
        for (var tries = 0; tries < 16; tries++)
        {
            var candidate = _random.Next(data.Length - 1);
            if ((data[candidate] & 7) == 2)
            {
                at = candidate + 1;
                break;
            }
        }

        var old = 1;
        while (at + old < data.Length && (data[at + old - 1] & 0x80) != 0 && old < 10)
        {
            old++;
        }

        var varint = InterestingVarints[_random.Next(InterestingVarints.Length)];
        return [.. data.AsSpan(0, at), .. varint, .. data.AsSpan(at + old)];
    }

    private byte[] OverwriteField(byte[] data)
    {
        int offset, width;
        if (_options.Fields.Count > 0)
        {
            (offset, width) = _options.Fields[_random.Next(_options.Fields.Count)];
        }
        else
        {
            // No known fields: any two bytes may be a string, binary or count length.
            (offset, width) = (_random.Next(Math.Max(1, data.Length - 1)), 2);
        }

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
