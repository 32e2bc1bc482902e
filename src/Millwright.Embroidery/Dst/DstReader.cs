using System.Globalization;
using System.Text;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Dst;

/// <summary>
/// Reads Tajima DST from untrusted bytes. Anything that is not a DST file fails with <see cref="DstFormatException"/>
/// naming the byte offset: a header field whose tag, value or CR is not where the layout puts it, a record whose
/// control bits are not set, a trit with both its bits set, a sequin record, a truncated record, no END.
/// Consecutive jump records merge into one jump; three or more that do not move in a row are a trim
/// (<see cref="DstWriter"/>'s convention). Bytes after END (often 0x1A) are ignored. ST and CO are not checked
/// against the records: writers disagree on whether END counts.
/// </summary>
public static class DstReader
{
    /// <summary>The largest distance from the origin the header's five-digit extents can state.</summary>
    public const int MaxPosition = 99_999;

    public const int MaxColorChanges = 999;

    /// <summary>The most records the header's seven-digit ST can count.</summary>
    public const int MaxRecords = 9_999_999;

    public static DstFile Read(ReadOnlySpan<byte> data)
    {
        var header = ReadHeader(data);
        var commands = new List<StitchCommand>();
        int x = 0, y = 0;
        long offset = DstHeader.Length;
        int jumpX = 0, jumpY = 0, still = 0;
        var inJumps = false;
        var changes = 0;
        while (true)
        {
            var left = data.Length - offset;
            if (left == 0)
            {
                throw new DstFormatException("the file ends without an END record (00 00 F3)", offset);
            }

            if (left < 3)
            {
                throw new DstFormatException($"truncated record: {left} of 3 bytes", offset);
            }

            if ((offset - DstHeader.Length) / 3 >= MaxRecords)
            {
                throw new DstFormatException($"more than {MaxRecords} records (the header's 7 digits)", offset);
            }

            var record = data.Slice((int)offset, 3);
            if (record[2] == DstRecord.EndByte && record[0] == 0 && record[1] == 0)
            {
                Flush();
                break;
            }

            if ((record[2] & DstRecord.AlwaysSet) != DstRecord.AlwaysSet)
            {
                throw new DstFormatException($"record {Hex(record)}: the two low bits of its third byte must be set", offset);
            }

            var jump = (record[2] & DstRecord.JumpFlag) != 0;
            var change = (record[2] & DstRecord.ColorChangeFlag) != 0;
            if (change && !jump)
            {
                throw new DstFormatException($"record {Hex(record)}: sequin records are not supported", offset);
            }

            if (DstRecord.Decode(record) is not var (dx, dy))
            {
                throw new DstFormatException($"record {Hex(record)}: a trit has both its + and - bits set", offset);
            }

            if (Math.Abs(x + jumpX + dx) > MaxPosition || Math.Abs(y + jumpY + dy) > MaxPosition)
            {
                throw new DstFormatException($"record {Hex(record)} takes the frame past {MaxPosition} units (the header's 5 digits)", offset);
            }

            if (jump && !change)
            {
                inJumps = true;
                if (dx == 0 && dy == 0)
                {
                    if (++still == DstWriter.TrimJumps)
                    {
                        FlushJump();
                        commands.Add(new StitchCommand(StitchKind.Trim, x, y));
                    }
                }
                else
                {
                    still = 0;
                    jumpX += dx;
                    jumpY += dy;
                }
            }
            else
            {
                if (change)
                {
                    if (++changes > MaxColorChanges)
                    {
                        throw new DstFormatException($"more than {MaxColorChanges} colour changes (the header's 3 digits)", offset);
                    }

                    // A colour change that moves is a jump first; it joins the jumps before it.
                    inJumps = true;
                    jumpX += dx;
                    jumpY += dy;
                    Flush();
                    commands.Add(new StitchCommand(StitchKind.ColorChange, x, y));
                }
                else
                {
                    Flush();
                    (x, y) = (x + dx, y + dy);
                    commands.Add(StitchCommand.Stitch(x, y));
                }
            }

            offset += 3;
        }

        return new DstFile(header, new StitchPattern(commands, StitchPattern.DefaultThreads(changes + 1)));

        void FlushJump()
        {
            if (jumpX != 0 || jumpY != 0)
            {
                (x, y) = (x + jumpX, y + jumpY);
                commands.Add(StitchCommand.Jump(x, y));
                (jumpX, jumpY) = (0, 0);
            }
        }

        void Flush()
        {
            if (inJumps)
            {
                FlushJump();
                inJumps = false;
                still = 0;
            }
        }
    }

    public static DstHeader ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < DstHeader.Length)
        {
            throw new DstFormatException($"the header needs {DstHeader.Length} bytes, the file has {data.Length}", data.Length);
        }

        var values = new string[DstHeader.Fields.Length];
        for (var i = 0; i < DstHeader.Fields.Length; i++)
        {
            var (tag, at, width) = DstHeader.Fields[i];
            if (!data.Slice(at, 3).SequenceEqual(Encoding.ASCII.GetBytes(tag)))
            {
                throw new DstFormatException($"expected the header field {tag}", at);
            }

            if (data[at + 3 + width] != (byte)'\r')
            {
                throw new DstFormatException($"the header field {tag} must end with CR", at + 3 + width);
            }

            values[i] = Encoding.Latin1.GetString(data.Slice(at + 3, width));
        }

        if (data[DstHeader.EndOfFields] is not (0x1A or (byte)' '))
        {
            throw new DstFormatException("the header fields must be followed by 0x1A", DstHeader.EndOfFields);
        }

        return new DstHeader(
            values[0].TrimEnd(),
            Number(values, 1, signed: false),
            Number(values, 2, signed: false),
            Number(values, 3, signed: false),
            Number(values, 4, signed: false),
            Number(values, 5, signed: false),
            Number(values, 6, signed: false),
            Number(values, 7, signed: true),
            Number(values, 8, signed: true));
    }

    private static int Number(string[] values, int field, bool signed)
    {
        var text = values[field];
        var sign = 1;
        if (signed)
        {
            sign = text[0] switch { '+' or ' ' => 1, '-' => -1, _ => 0 };
            text = text[1..];
        }

        var digits = text.Trim(' ');
        if (sign == 0 || digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            var (tag, at, _) = DstHeader.Fields[field];
            throw new DstFormatException($"the header field {tag} holds '{values[field]}', not a number", at + 3);
        }

        return sign * int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static string Hex(ReadOnlySpan<byte> record) => Convert.ToHexString(record);
}
