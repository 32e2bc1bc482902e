using System.Buffers.Binary;

namespace Millwright.Mqtt.Tests.Fuzzing;

/// <summary>
/// A deterministic mutation fuzzer: each case starts from a valid seed and stacks one to four mutations
/// (bit flips, interesting bytes, truncation, extension, insertion, deletion, splicing and concatenating
/// seeds, rewriting the remaining length or an inner length field, duplicating a chunk). The same seed
/// number gives the same cases, so any failure can be replayed.
/// </summary>
internal sealed class MutationFuzzer
{
    private const int MaxLength = 8192;

    // Bytes that sit on MQTT decision boundaries: varint continuation, QoS bits, wildcards, '/', '$',
    // UTF-8 lead bytes of overlong and surrogate forms, property identifiers.
    private static readonly byte[] Interesting =
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0B, 0x0F, 0x10, 0x11, 0x23, 0x24, 0x26, 0x27, 0x2A, 0x2B, 0x2F,
        0x7F, 0x80, 0x81, 0xC0, 0xC1, 0xE0, 0xED, 0xF4, 0xF5, 0xFE, 0xFF,
    ];

    private readonly Random _random;
    private readonly byte[][] _seeds;
    private readonly byte[] _buffer = new byte[MaxLength];
    private int _length;

    public MutationFuzzer(IReadOnlyList<byte[]> seeds, int seed)
    {
        _seeds = [.. seeds];
        if (_seeds.Any(s => s.Length > MaxLength))
        {
            throw new ArgumentException($"Seeds are at most {MaxLength} bytes.", nameof(seeds));
        }

        _random = new Random(seed);
    }

    /// <summary>The next case; valid until the next call.</summary>
    public ReadOnlySpan<byte> Next()
    {
        var seed = _seeds[_random.Next(_seeds.Length)];
        seed.CopyTo(_buffer, 0);
        _length = seed.Length;
        var mutations = 1 + _random.Next(4);
        for (var i = 0; i < mutations; i++)
        {
            Mutate();
        }

        return _buffer.AsSpan(0, _length);
    }

    private void Mutate()
    {
        switch (_random.Next(12))
        {
            case 0 when _length > 0:
                _buffer[_random.Next(_length)] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when _length > 0:
                _buffer[_random.Next(_length)] = Interesting[_random.Next(Interesting.Length)];
                break;
            case 2 when _length > 0:
                _buffer[_random.Next(_length)] = (byte)_random.Next(256);
                break;
            case 3:
                _length = _random.Next(_length + 1);
                break;
            case 4:
                Insert(_length, 1 + _random.Next(16), interesting: false);
                break;
            case 5:
                Insert(_random.Next(_length + 1), 1 + _random.Next(8), interesting: _random.Next(2) == 0);
                break;
            case 6 when _length > 0:
            {
                var at = _random.Next(_length);
                var count = 1 + _random.Next(Math.Min(16, _length - at));
                _buffer.AsSpan(at + count, _length - at - count).CopyTo(_buffer.AsSpan(at));
                _length -= count;
                break;
            }

            case 7:
            {
                // Splice: our head with another seed's tail.
                var other = _seeds[_random.Next(_seeds.Length)];
                var cut = _random.Next(_length + 1);
                var from = _random.Next(other.Length + 1);
                var count = Math.Min(other.Length - from, MaxLength - cut);
                other.AsSpan(from, count).CopyTo(_buffer.AsSpan(cut));
                _length = cut + count;
                break;
            }

            case 8:
            {
                // Concatenate: a stream of several packets.
                var other = _seeds[_random.Next(_seeds.Length)];
                var count = Math.Min(other.Length, MaxLength - _length);
                other.AsSpan(0, count).CopyTo(_buffer.AsSpan(_length));
                _length += count;
                break;
            }

            case 9:
                RewriteRemainingLength();
                break;
            case 10 when _length >= 2:
            {
                // An inner two-byte length (string, binary, packet id) set near its neighbourhood or to extremes.
                var at = _random.Next(_length - 1);
                var value = _random.Next(4) switch
                {
                    0 => 0,
                    1 => 0xFFFF,
                    _ => _random.Next(_length + 8),
                };
                BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), (ushort)value);
                break;
            }

            case 11 when _length > 0:
            {
                // Duplicate a chunk in place: repeated properties, filters, packets.
                var at = _random.Next(_length);
                var count = Math.Min(1 + _random.Next(Math.Min(32, _length - at)), MaxLength - _length);
                _buffer.AsSpan(at, _length - at).CopyTo(_buffer.AsSpan(at + count));
                _length += count;
                break;
            }

            default:
                break;
        }
    }

    private void Insert(int at, int count, bool interesting)
    {
        count = Math.Min(count, MaxLength - _length);
        _buffer.AsSpan(at, _length - at).CopyTo(_buffer.AsSpan(at + count));
        for (var i = 0; i < count; i++)
        {
            _buffer[at + i] = interesting ? Interesting[_random.Next(Interesting.Length)] : (byte)_random.Next(256);
        }

        _length += count;
    }

    /// <summary>Replaces the first packet's remaining length with a nearby, huge, or over-long encoding.</summary>
    private void RewriteRemainingLength()
    {
        if (_length < 2)
        {
            return;
        }

        var old = 1;
        while (old < 4 && 1 + old < _length && (_buffer[old] & 0x80) != 0)
        {
            old++;
        }

        Span<byte> encoded = stackalloc byte[5];
        int size;
        switch (_random.Next(4))
        {
            case 0:
                size = 5;
                encoded.Fill(0xFF);
                encoded[4] = 0x7F;
                break;
            case 1:
                // Non-minimal: a value padded with a continuation byte and a zero.
                encoded[0] = (byte)(0x80 | _random.Next(128));
                encoded[1] = 0;
                size = 2;
                break;
            default:
                var value = _random.Next(2) == 0 ? Math.Max(0, _length - 2 + _random.Next(-3, 4)) : _random.Next(268_435_456);
                size = 0;
                do
                {
                    var b = (byte)(value & 0x7F);
                    value >>= 7;
                    encoded[size++] = value != 0 ? (byte)(b | 0x80) : b;
                }
                while (value != 0);
                break;
        }

        if (_length - old + size > MaxLength)
        {
            return;
        }

        _buffer.AsSpan(1 + old, _length - 1 - old).CopyTo(_buffer.AsSpan(1 + size));
        encoded[..size].CopyTo(_buffer.AsSpan(1));
        _length += size - old;
    }
}
