using System.Globalization;

namespace Millwright.Learning;

/// <summary>
/// Reads the NAB file format: a <c>timestamp,value</c> header, then one reading per line. Timestamps are
/// ISO-8601-like (<c>2014-04-01 00:00:00</c>, with or without fraction, <c>T</c> or zone) and taken as UTC when
/// they carry no zone; values are invariant-culture numbers (NaN and Infinity are read: the detector handles them).
/// Anything else is refused with its line and column. Input is untrusted (a fuzz target reads it).
/// </summary>
public static class SeriesCsv
{
    public const string Header = "timestamp,value";

    public static List<SeriesRow> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<SeriesRow>();
        var line = 0;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var next = end < 0 ? text.Length : end + 1;
            var content = text.AsSpan(start, (end < 0 ? text.Length : end) - start);
            if (content.EndsWith("\r"))
            {
                content = content[..^1];
            }

            line++;
            start = next;
            if (line == 1)
            {
                if (content.StartsWith("\uFEFF"))
                {
                    content = content[1..];
                }

                if (!content.SequenceEqual(Header))
                {
                    throw new SeriesFormatException(1, FirstDifference(content, Header) + 1, $"the header must be '{Header}'");
                }

                continue;
            }

            if (content.IsEmpty && start >= text.Length)
            {
                break;
            }

            rows.Add(ParseRow(content, line));
        }

        if (line == 0)
        {
            throw new SeriesFormatException(1, 1, $"empty file; the header must be '{Header}'");
        }

        return rows;
    }

    private static SeriesRow ParseRow(ReadOnlySpan<char> content, int line)
    {
        var comma = content.IndexOf(',');
        if (comma < 0)
        {
            throw new SeriesFormatException(line, content.Length + 1, "expected 'timestamp,value': no comma");
        }

        var stamp = content[..comma];
        var value = content[(comma + 1)..];
        var extra = value.IndexOf(',');
        if (extra >= 0)
        {
            throw new SeriesFormatException(line, comma + extra + 2, "expected two fields, found more");
        }

        if (stamp.IsEmpty || !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
        {
            throw new SeriesFormatException(line, 1, "the timestamp is not a date and time");
        }

        if (value.IsEmpty || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new SeriesFormatException(line, comma + 2, "the value is not a number");
        }

        return new SeriesRow(stamp.ToString(), when.ToUnixTimeMilliseconds(), number);
    }

    private static int FirstDifference(ReadOnlySpan<char> a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return n;
    }
}
