using System.Globalization;
using System.Text;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Dst;

/// <summary>
/// Writes a pattern as Tajima DST. A jump longer than 121 units on an axis becomes several jump records of
/// equal share; a trim becomes three jump records that do not move (machines that trim on a run of jump codes
/// are set to cut at three); a colour change is 00 00 C3 and the file ends with 00 00 F3.
/// </summary>
public static class DstWriter
{
    /// <summary>Jump records that do not move and together mean "cut the thread".</summary>
    public const int TrimJumps = 3;

    public static byte[] Write(StitchPattern pattern, string label)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(label);
        var body = new List<byte>(pattern.Commands.Count * 3 + 16);
        Span<byte> record = stackalloc byte[3];
        int x = 0, y = 0;
        foreach (var c in pattern.Commands)
        {
            switch (c.Kind)
            {
                case StitchKind.Stitch:
                    var (dx, dy) = (c.X - x, c.Y - y);
                    if (Math.Abs(dx) > DstRecord.MaxMove || Math.Abs(dy) > DstRecord.MaxMove)
                    {
                        throw new ArgumentException($"a stitch to ({c.X}, {c.Y}) moves ({dx}, {dy}): more than {DstRecord.MaxMove} units on an axis; split it first", nameof(pattern));
                    }

                    Append(body, record, dx, dy, 0);
                    break;
                case StitchKind.Jump:
                    AppendJump(body, record, c.X - x, c.Y - y);
                    break;
                case StitchKind.Trim:
                    for (var i = 0; i < TrimJumps; i++)
                    {
                        Append(body, record, 0, 0, DstRecord.JumpFlag);
                    }

                    break;
                case StitchKind.ColorChange:
                    Append(body, record, 0, 0, DstRecord.JumpFlag | DstRecord.ColorChangeFlag);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(pattern), c.Kind, "unknown command");
            }

            (x, y) = (c.X, c.Y);
        }

        var records = body.Count / 3;
        body.AddRange([0x00, 0x00, DstRecord.EndByte]);
        var (minX, minY, maxX, maxY) = pattern.Extents();
        var header = Header(label, records, pattern.ColorChanges, maxX, -minX, maxY, -minY, x, y);
        var file = new byte[header.Length + body.Count];
        header.CopyTo(file, 0);
        body.CopyTo(file, header.Length);
        return file;
    }

    private static void AppendJump(List<byte> body, Span<byte> record, int dx, int dy)
    {
        var parts = (Math.Max(Math.Abs(dx), Math.Abs(dy)) + DstRecord.MaxMove - 1) / DstRecord.MaxMove;
        int doneX = 0, doneY = 0;
        for (var i = 1; i <= parts; i++)
        {
            // Cumulative rounding spreads the move evenly and lands exactly on the target.
            var tx = (int)Math.Round((double)dx * i / parts, MidpointRounding.AwayFromZero);
            var ty = (int)Math.Round((double)dy * i / parts, MidpointRounding.AwayFromZero);
            Append(body, record, tx - doneX, ty - doneY, DstRecord.JumpFlag);
            (doneX, doneY) = (tx, ty);
        }
    }

    private static void Append(List<byte> body, Span<byte> record, int dx, int dy, byte flags)
    {
        DstRecord.Encode(record, dx, dy, flags);
        body.Add(record[0]);
        body.Add(record[1]);
        body.Add(record[2]);
    }

    private static byte[] Header(string label, int records, int colorChanges, int plusX, int minusX, int plusY, int minusY, int endX, int endY)
    {
        Check(records, 9_999_999, "stitch records");
        Check(colorChanges, 999, "colour changes");
        foreach (var extent in new[] { plusX, minusX, plusY, minusY })
        {
            Check(extent, 99_999, "extent");
        }

        var text = new StringBuilder();
        var safe = new string(label.Select(ch => ch is >= ' ' and < (char)0x7F ? ch : '_').Take(16).ToArray());
        text.Append(CultureInfo.InvariantCulture, $"LA:{safe,-16}\r");
        text.Append(CultureInfo.InvariantCulture, $"ST:{records,7}\r");
        text.Append(CultureInfo.InvariantCulture, $"CO:{colorChanges,3}\r");
        text.Append(CultureInfo.InvariantCulture, $"+X:{plusX,5}\r-X:{minusX,5}\r+Y:{plusY,5}\r-Y:{minusY,5}\r");
        text.Append(CultureInfo.InvariantCulture, $"AX:{Signed(endX)}\rAY:{Signed(endY)}\r");
        text.Append("MX:+    0\rMY:+    0\rPD:******\r");
        text.Append('\x1A');
        var header = new byte[DstHeader.Length];
        Array.Fill(header, (byte)' ');
        Encoding.ASCII.GetBytes(text.ToString()).CopyTo(header, 0);
        return header;
    }

    private static string Signed(int value) =>
        string.Create(CultureInfo.InvariantCulture, $"{(value < 0 ? '-' : '+')}{Math.Abs(value),5}");

    private static void Check(int value, int max, string what)
    {
        if (value > max)
        {
            throw new ArgumentException($"{value} {what} do not fit a DST header (at most {max})");
        }
    }
}
