using System.Text;

namespace Millwright.Scheduling.Parsing;

/// <summary>Lexing shared by the flexible instance reader: strict UTF-8, numbered content lines, numeric tokens with columns.</summary>
internal static class InstanceText
{
    private const long Largest = 10_000_000_000;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A number in a line: its value (a decimal's integer part), 1-based column, and whether it had a fraction.</summary>
    public readonly record struct Token(long Value, int Column, bool IsDecimal);

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes[..Math.Clamp(e.Index, 0, bytes.Length)].Count((byte)'\n');
            throw new InstanceFormatException(line, 1, "the file is not valid UTF-8 text");
        }
    }

    /// <summary>The lines that carry content (not blank, not a '#' comment), with their 1-based numbers.</summary>
    public static IEnumerable<(int Number, string Text)> Lines(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.Length > 0 && trimmed[0] != '#')
            {
                yield return (i + 1, lines[i]);
            }
        }
    }

    /// <summary>Where problems of a missing part are reported: the file's last line.</summary>
    public static int LastLine(string text) => Math.Max(1, text.Split('\n').Length - (text.EndsWith('\n') ? 1 : 0));

    /// <summary>
    /// Integers separated by any whitespace; a leading '-' makes a negative one (the caller says why that is wrong).
    /// Only the token at <paramref name="allowDecimalAt"/> may have a fraction ("2.5").
    /// </summary>
    public static List<Token> Tokens(string line, int number, int allowDecimalAt)
    {
        var result = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            if (char.IsWhiteSpace(line[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var negative = line[i] == '-';
            if (negative)
            {
                i++;
            }

            if (i >= line.Length || line[i] is < '0' or > '9')
            {
                var c = i < line.Length ? line[i] : ' ';
                throw new InstanceFormatException(number, i + 1, i < line.Length ? $"unexpected character '{Printable(c)}' (U+{(int)c:X4})" : "a '-' without a number");
            }

            long value = 0;
            while (i < line.Length && line[i] is >= '0' and <= '9')
            {
                value = (value * 10) + (line[i] - '0');
                if (value > Largest)
                {
                    throw new InstanceFormatException(number, start + 1, "number too large");
                }

                i++;
            }

            var isDecimal = false;
            if (i < line.Length && line[i] == '.' && result.Count == allowDecimalAt && !negative)
            {
                i++;
                var digits = i;
                while (i < line.Length && line[i] is >= '0' and <= '9')
                {
                    i++;
                }

                if (i == digits)
                {
                    throw new InstanceFormatException(number, i + 1, "a decimal point must be followed by digits");
                }

                isDecimal = true;
            }

            if (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                throw new InstanceFormatException(number, i + 1, $"unexpected character '{Printable(line[i])}' after a number");
            }

            result.Add(new Token(negative ? -value : value, start + 1, isDecimal));
        }

        return result;
    }

    private static char Printable(char c) => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c;
}
