namespace Millwright.Embroidery.Dst;

/// <summary>
/// The 3-byte DST record. Each axis moves by a balanced-ternary number: five trits of weight 1, 3, 9, 27 and 81,
/// each a "+" and a "-" bit, so a record moves at most ±121 units (12.1 mm) per axis. Byte 3 also carries the
/// jump (bit 7) and colour-change (bit 6) flags, and its two low bits are always set. 00 00 F3 ends the file.
/// </summary>
internal static class DstRecord
{
    public const int MaxMove = 121;

    public const byte JumpFlag = 0x80;
    public const byte ColorChangeFlag = 0x40;
    public const byte AlwaysSet = 0x03;
    public const byte EndByte = 0xF3;

    // (byte, plus bit, minus bit, weight) for each trit, lowest weight first.
    private static readonly (int Byte, byte Plus, byte Minus, int Weight)[] XTrits =
        [(0, 0x01, 0x02, 1), (1, 0x01, 0x02, 3), (0, 0x04, 0x08, 9), (1, 0x04, 0x08, 27), (2, 0x04, 0x08, 81)];

    private static readonly (int Byte, byte Plus, byte Minus, int Weight)[] YTrits =
        [(0, 0x80, 0x40, 1), (1, 0x80, 0x40, 3), (0, 0x20, 0x10, 9), (1, 0x20, 0x10, 27), (2, 0x20, 0x10, 81)];

    /// <summary>Writes one record moving (dx, dy) in tenths of a millimetre with Y up.</summary>
    public static void Encode(Span<byte> record, int dx, int dy, byte flags)
    {
        if (Math.Abs(dx) > MaxMove || Math.Abs(dy) > MaxMove)
        {
            throw new ArgumentOutOfRangeException(nameof(dx), $"a DST record moves at most {MaxMove} units per axis, not ({dx}, {dy})");
        }

        record[0] = 0;
        record[1] = 0;
        record[2] = (byte)(AlwaysSet | flags);
        Put(record, dx, XTrits);
        Put(record, dy, YTrits);
    }

    /// <summary>Reads the move of one record; null when a trit has both its bits set (no such number).</summary>
    public static (int Dx, int Dy)? Decode(ReadOnlySpan<byte> record)
    {
        var dx = Take(record, XTrits);
        var dy = Take(record, YTrits);
        return dx is null || dy is null ? null : (dx.Value, dy.Value);
    }

    private static void Put(Span<byte> record, int value, (int Byte, byte Plus, byte Minus, int Weight)[] trits)
    {
        foreach (var (index, plus, minus, _) in trits)
        {
            // Balanced ternary: the remainder picks -1, 0 or +1 and the rest carries on.
            var r = ((value % 3) + 3) % 3;
            if (r == 1)
            {
                record[index] |= plus;
                value -= 1;
            }
            else if (r == 2)
            {
                record[index] |= minus;
                value += 1;
            }

            value /= 3;
        }
    }

    private static int? Take(ReadOnlySpan<byte> record, (int Byte, byte Plus, byte Minus, int Weight)[] trits)
    {
        var value = 0;
        foreach (var (index, plus, minus, weight) in trits)
        {
            var p = (record[index] & plus) != 0;
            var m = (record[index] & minus) != 0;
            if (p && m)
            {
                return null;
            }

            value += p ? weight : m ? -weight : 0;
        }

        return value;
    }
}
