using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Exp;

/// <summary>
/// Writes a pattern as Melco EXP (<see cref="ExpRecord"/>): stitches as two bytes, a jump longer than 127 units on
/// an axis as several jump records of equal share, a trim as 80 80 07 00, a colour change as 80 01 00 00. EXP
/// carries no colours; the thread plan goes with the file as DST's does (the design's threads).
/// </summary>
public static class ExpWriter
{
    public static byte[] Write(StitchPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var body = new List<byte>((pattern.Commands.Count * 2) + 16);
        int x = 0, y = 0;
        foreach (var c in pattern.Commands)
        {
            var (dx, dy) = (c.X - x, c.Y - y);
            switch (c.Kind)
            {
                case StitchKind.Stitch:
                    if (Math.Abs(dx) > ExpRecord.MaxMove || Math.Abs(dy) > ExpRecord.MaxMove)
                    {
                        throw new ArgumentException($"a stitch to ({c.X}, {c.Y}) moves ({dx}, {dy}): more than {ExpRecord.MaxMove} units on an axis; split it first", nameof(pattern));
                    }

                    body.Add((byte)(sbyte)dx);
                    body.Add((byte)(sbyte)dy);
                    break;
                case StitchKind.Jump:
                    // Equal shares, each within a record; a jump that stays put is still written, as one record.
                    var parts = Math.Max(1, (Math.Max(Math.Abs(dx), Math.Abs(dy)) + ExpRecord.MaxMove - 1) / ExpRecord.MaxMove);
                    int px = 0, py = 0;
                    for (var i = 1; i <= parts; i++)
                    {
                        var (nx, ny) = ((int)Math.Round((double)dx * i / parts), (int)Math.Round((double)dy * i / parts));
                        body.AddRange([ExpRecord.Escape, ExpRecord.Jump, (byte)(sbyte)(nx - px), (byte)(sbyte)(ny - py)]);
                        (px, py) = (nx, ny);
                    }

                    break;
                case StitchKind.Trim:
                    body.AddRange([ExpRecord.Escape, ExpRecord.Trim, 0x07, 0x00]);
                    break;
                case StitchKind.ColorChange:
                    body.AddRange([ExpRecord.Escape, ExpRecord.ColorChange, 0x00, 0x00]);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(pattern), c.Kind, "unknown command");
            }

            if (c.Kind is StitchKind.Stitch or StitchKind.Jump)
            {
                (x, y) = (c.X, c.Y);
            }
        }

        return [.. body];
    }
}
