using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Exp;

/// <summary>
/// Reads Melco EXP (<see cref="ExpRecord"/>). Consecutive jump records are one jump; a colour change or trim that
/// carries a move is followed by a jump there. Refused with the byte offset: a stitch or control record cut short,
/// an unknown control code, a stitch that moves -128, a position past ±<see cref="MaxPosition"/>, more than <see cref="MaxColorChanges"/>
/// colour changes or <see cref="MaxRecords"/> records.
/// </summary>
public static class ExpReader
{
    public const int MaxPosition = 99_999;
    public const int MaxColorChanges = 999;
    public const int MaxRecords = 5_000_000;

    public static StitchPattern Read(ReadOnlySpan<byte> data)
    {
        var commands = new List<StitchCommand>(Math.Min(data.Length / 2, 1 << 16));
        int x = 0, y = 0, changes = 0, records = 0;
        for (var at = 0; at < data.Length;)
        {
            if (++records > MaxRecords)
            {
                throw new ExpFormatException($"more than {MaxRecords} records", at);
            }

            if (data[at] != ExpRecord.Escape)
            {
                if (at + 2 > data.Length)
                {
                    throw new ExpFormatException("a stitch record cut short (2 bytes)", at);
                }

                Stitch(commands, ref x, ref y, (sbyte)data[at], (sbyte)data[at + 1], at);
                at += 2;
                continue;
            }

            if (at + 4 > data.Length)
            {
                throw new ExpFormatException("a control record cut short (4 bytes)", at);
            }

            var (code, dx, dy) = (data[at + 1], (sbyte)data[at + 2], (sbyte)data[at + 3]);
            switch (code)
            {
                case ExpRecord.Stitch:
                    Stitch(commands, ref x, ref y, dx, dy, at + 2);
                    break;
                case ExpRecord.Jump:
                    Move(ref x, ref y, dx, dy, at);
                    if (commands.Count > 0 && commands[^1].Kind == StitchKind.Jump)
                    {
                        commands[^1] = StitchCommand.Jump(x, y);
                    }
                    else
                    {
                        commands.Add(StitchCommand.Jump(x, y));
                    }

                    break;
                case ExpRecord.ColorChange:
                    if (++changes > MaxColorChanges)
                    {
                        throw new ExpFormatException($"more than {MaxColorChanges} colour changes", at);
                    }

                    commands.Add(new StitchCommand(StitchKind.ColorChange, x, y));
                    MovedJump(commands, ref x, ref y, dx, dy, at);
                    break;
                case ExpRecord.Trim:
                    commands.Add(new StitchCommand(StitchKind.Trim, x, y));
                    break;
                default:
                    throw new ExpFormatException($"unknown control code 0x{code:X2} after 0x80", at + 1);
            }

            at += 4;
        }

        return new StitchPattern(commands, StitchPattern.DefaultThreads(changes + 1));
    }

    /// <summary>A stitch moves -127 to 127 on each axis: -128 is the escape byte, which no writer puts in a stitch.</summary>
    private static void Stitch(List<StitchCommand> commands, ref int x, ref int y, int dx, int dy, int at)
    {
        if (dx == sbyte.MinValue || dy == sbyte.MinValue)
        {
            throw new ExpFormatException("a stitch that moves -128 (0x80 is the escape, not a move)", at);
        }

        Move(ref x, ref y, dx, dy, at);
        commands.Add(StitchCommand.Stitch(x, y));
    }

    private static void MovedJump(List<StitchCommand> commands, ref int x, ref int y, int dx, int dy, int at)
    {
        if ((dx, dy) != (0, 0))
        {
            Move(ref x, ref y, dx, dy, at);
            commands.Add(StitchCommand.Jump(x, y));
        }
    }

    private static void Move(ref int x, ref int y, int dx, int dy, int at)
    {
        (x, y) = (x + dx, y + dy);
        if (Math.Abs(x) > MaxPosition || Math.Abs(y) > MaxPosition)
        {
            throw new ExpFormatException($"the frame goes past {MaxPosition} units", at);
        }
    }
}
