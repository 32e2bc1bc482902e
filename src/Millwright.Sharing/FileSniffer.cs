using Millwright.Embroidery.Dst;

namespace Millwright.Sharing;

/// <summary>
/// What a file attached to a request is, judged from its bytes and never from its name: a drawing (PDF, PNG, JPEG,
/// DXF, STEP), a machine program (plain-text G-code) or an embroidery design (Tajima DST, parsed in full). Anything
/// else, an executable or an archive named <c>part.pdf</c> included, is refused with the reason.
/// </summary>
internal static class FileSniffer
{
    public const string Drawing = "drawing";
    public const string Program = "program";
    public const string Embroidery = "embroidery";

    public static readonly IReadOnlyList<string> Kinds = [Drawing, Program, Embroidery];

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];

    /// <summary>The content type the bytes prove for the kind, or null with <paramref name="reason"/> saying why not.</summary>
    public static string? Sniff(string kind, ReadOnlySpan<byte> data, out string reason)
    {
        reason = "";
        if (data.IsEmpty)
        {
            reason = "the file is empty";
            return null;
        }

        var type = kind switch
        {
            Drawing => DrawingType(data),
            Program => IsProgram(data) ? "text/x-gcode" : null,
            Embroidery => IsDst(data) ? "application/x-dst" : null,
            _ => null,
        };
        if (type is null)
        {
            reason = kind switch
            {
                Drawing => "a drawing must be PDF, PNG, JPEG, DXF or STEP (ISO 10303-21) by its content",
                Program => "a program must be plain-text G-code: printable text whose first statement is a block (%, O, N, G, M, T, a comment)",
                Embroidery => "an embroidery design must be a Tajima DST file that reads to its end record",
                _ => $"kind must be one of {string.Join(", ", Kinds)}",
            };
        }

        return type;
    }

    private static string? DrawingType(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }

        if (data.StartsWith(PngMagic))
        {
            return "image/png";
        }

        if (data.StartsWith(JpegMagic))
        {
            return "image/jpeg";
        }

        if (data.StartsWith("ISO-10303-21;"u8) && IsText(data))
        {
            return "model/step";
        }

        // ASCII DXF: group code 0, then SECTION, each on its own line (leading blanks allowed, as writers pad codes).
        var text = Lines(data, 2);
        return text.Count == 2 && text[0] == "0" && text[1] == "SECTION" && IsText(data) ? "image/vnd.dxf" : null;
    }

    private static bool IsProgram(ReadOnlySpan<byte> data)
    {
        if (!IsText(data))
        {
            return false;
        }

        foreach (var line in Lines(data, 50))
        {
            if (line.Length == 0)
            {
                continue;
            }

            // The first statement decides: a tape start, program number, block number, G/M/T word or a comment.
            var first = char.ToUpperInvariant(line[0]);
            return first is '%' or '(' or ';' or 'O' or 'N' or 'G' or 'M' or 'T'
                && (line.Length == 1 || first is '%' or '(' or ';' || char.IsAsciiDigit(line[1]) || line[1] == ' ');
        }

        return false;
    }

    private static bool IsDst(ReadOnlySpan<byte> data)
    {
        try
        {
            DstReader.Read(data);
            return true;
        }
        catch (DstFormatException)
        {
            return false;
        }
    }

    /// <summary>Text: no NUL or control bytes other than tab, CR, LF and form feed (G-code and DXF are ASCII; UTF-8 letters pass).</summary>
    private static bool IsText(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n' or 0x0C))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first <paramref name="count"/> lines, trimmed, read as Latin-1 (only ASCII is compared).</summary>
    private static List<string> Lines(ReadOnlySpan<byte> data, int count)
    {
        var lines = new List<string>(count);
        while (lines.Count < count && !data.IsEmpty)
        {
            var end = data.IndexOf((byte)'\n');
            var line = end < 0 ? data : data[..end];
            lines.Add(System.Text.Encoding.Latin1.GetString(line.Length > 256 ? line[..256] : line).Trim());
            data = end < 0 ? [] : data[(end + 1)..];
        }

        return lines;
    }
}
