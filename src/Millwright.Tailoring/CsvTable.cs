using System.Text;

namespace Millwright.Tailoring;

/// <summary>
/// An RFC 4180 CSV file read whole: a header and rows of fields, each row with the line it started on. Quoted
/// fields may hold commas, doubled quotes and line breaks. Untrusted input: every fault is a
/// <see cref="CsvFormatException"/> with its line and column, never another exception.
/// </summary>
public sealed class CsvTable
{
    /// <summary>Above this many bytes a file is refused rather than read (a customer file is a few rows).</summary>
    public const int MaxBytes = 64 << 20;

    private CsvTable(string[] header, List<string[]> rows, List<int> lines)
    {
        Header = header;
        Rows = rows;
        Lines = lines;
    }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The 1-based line each row starts on.</summary>
    public IReadOnlyList<int> Lines { get; }

    public static CsvTable Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            throw new CsvFormatException(1, 1, $"file is larger than {MaxBytes >> 20} MiB");
        }

        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            var line = 1 + bytes[..FirstInvalidUtf8(bytes)].Count((byte)'\n');
            throw new CsvFormatException(line, 1, "not UTF-8 text");
        }

        return Parse(text);
    }

    public static CsvTable Parse(string text)
    {
        var records = new List<(string[] Fields, int Line)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var column = 1;
        var recordLine = 1;
        var i = 0;
        var quoted = false;
        var fieldStarted = false;
        var (quoteLine, quoteColumn) = (0, 0);
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        column += 2;
                        continue;
                    }

                    quoted = false;
                    i++;
                    column++;
                    if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        throw new CsvFormatException(line, column, "text after a closing quote");
                    }

                    continue;
                }

                if (c == '\n')
                {
                    line++;
                    column = 0;
                }

                field.Append(c);
                i++;
                column++;
                continue;
            }

            switch (c)
            {
                case '"' when !fieldStarted:
                    quoted = true;
                    (quoteLine, quoteColumn) = (line, column);
                    fieldStarted = true;
                    break;
                case '"':
                    throw new CsvFormatException(line, column, "a quote inside an unquoted field");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r' or '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    AddRecord(records, fields, recordLine);
                    line++;
                    column = 0;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }

            i++;
            column++;
        }

        if (quoted)
        {
            throw new CsvFormatException(quoteLine, quoteColumn, "the quoted field opened here is not closed");
        }

        if (fieldStarted || fields.Count > 0)
        {
            fields.Add(field.ToString());
            AddRecord(records, fields, recordLine);
        }

        if (records.Count == 0)
        {
            throw new CsvFormatException(1, 1, "the file is empty (a header row is needed)");
        }

        var header = records[0].Fields;
        var rows = new List<string[]>(records.Count - 1);
        var lines = new List<int>(records.Count - 1);
        foreach (var (row, at) in records.Skip(1))
        {
            if (row.Length != header.Length)
            {
                throw new CsvFormatException(at, Math.Min(row.Length, header.Length) + 1,
                    $"{row.Length} fields where the header has {header.Length}");
            }

            rows.Add(row);
            lines.Add(at);
        }

        return new CsvTable(header, rows, lines);
    }

    /// <summary>The 1-based column of a row's field, counted in fields (what a spreadsheet shows).</summary>
    public static int ColumnOf(int fieldIndex) => fieldIndex + 1;

    private static void AddRecord(List<(string[], int)> records, List<string> fields, int line)
    {
        // A blank line (one empty field) is no record; trailing blank lines are common in hand-made files.
        if (!(fields.Count == 1 && fields[0].Length == 0))
        {
            records.Add((fields.ToArray(), line));
        }

        fields.Clear();
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false);
        return read;
    }
}
