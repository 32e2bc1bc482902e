using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Millwright.Scheduling.Erp;

/// <summary>
/// Reads production orders an ERP exports as CSV (docs/erp.md): UTF-8, a header line naming the columns in any
/// order, then one order per record. Required columns: erp_order_number, item, quantity, due; optional: priority,
/// site, customer. The form of every field is checked here and the first fault is refused with its line and
/// column, so a file is either read whole or not at all; whether the item and site exist is the importer's check.
/// </summary>
public static class ErpOrderCsv
{
    public const int MaxOrders = 10_000;
    public const long MaxQuantity = 1_000_000;
    public const int MaxText = 100;
    public const int MaxNumberLength = 64;

    public const string Number = "erp_order_number";
    public const string Item = "item";
    public const string Quantity = "quantity";
    public const string Due = "due";
    public const string Priority = "priority";
    public const string Site = "site";
    public const string Customer = "customer";

    public static IReadOnlyList<string> Required { get; } = [Number, Item, Quantity, Due];

    public static IReadOnlyList<string> Optional { get; } = [Priority, Site, Customer];

    private static readonly string[] OffsetFormats =
    [
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    private static readonly string[] UtcFormats =
    [
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    public static IReadOnlyList<ErpOrderLine> Parse(ReadOnlySpan<byte> input)
    {
        var text = Decode(input);
        var records = CsvRecords.Split(text, MaxOrders + 1);
        if (records.Count == 0)
        {
            throw new ErpCsvException(1, 1, "", $"the file is empty; its first line names the columns ({string.Join(",", Required)})");
        }

        var header = records[0];
        var columns = Columns(header);
        if (records.Count == 1)
        {
            throw new ErpCsvException(header[0].Line + 1, 1, "", "no orders follow the header line");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var orders = new List<ErpOrderLine>(records.Count - 1);
        foreach (var record in records.Skip(1))
        {
            if (record.Length != header.Length)
            {
                var at = record.Length > header.Length ? record[header.Length] : record[^1];
                throw new ErpCsvException(at.Line, Math.Min(record.Length, header.Length) + 1, "",
                    $"the record has {record.Length} fields; the header names {header.Length}");
            }

            var number = Text(record[columns[Number]], Number, MaxNumberLength, required: true)!;
            if (seen.TryGetValue(number, out var firstLine))
            {
                var f = record[columns[Number]];
                throw new ErpCsvException(f.Line, f.Column, Number, $"order '{number}' appears again (first on line {firstLine}); one line per order");
            }

            seen[number] = record[0].Line;
            var item = Text(record[columns[Item]], Item, MaxText, required: true)!;
            var quantity = Whole(record[columns[Quantity]], Quantity, 1, MaxQuantity)!.Value;
            var due = DueAt(record[columns[Due]]);
            var priority = columns.TryGetValue(Priority, out var p) ? (int?)Whole(record[p], Priority, 1, 100, required: false) : null;
            var site = columns.TryGetValue(Site, out var s) ? Text(record[s], Site, MaxText, required: false) : null;
            var customer = columns.TryGetValue(Customer, out var c) ? Text(record[c], Customer, MaxText, required: false) : null;
            orders.Add(new ErpOrderLine(record[0].Line, number, item, quantity, due, priority, site, customer,
                columns[Item] + 1, columns.TryGetValue(Site, out var sc) ? sc + 1 : 0, columns[Due] + 1));
        }

        return orders;
    }

    /// <summary>Strict UTF-8: a byte sequence that is not is refused at its line rather than read as a replacement character.</summary>
    private static string Decode(ReadOnlySpan<byte> input)
    {
        var chars = new char[input.Length];
        var status = Utf8.ToUtf16(input, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            var line = input[..read].Count((byte)'\n') + 1;
            var lineStart = input[..read].LastIndexOf((byte)'\n') + 1;
            var column = Encoding.UTF8.GetCharCount(input[lineStart..read]) + 1;
            throw new ErpCsvException(line, column, "", "the file is not valid UTF-8 here");
        }

        return new string(chars, 0, written);
    }

    /// <summary>Header name → field index; unknown, repeated and missing required names are refused.</summary>
    private static Dictionary<string, int> Columns(CsvRecords.Field[] header)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var field in header)
        {
            var name = field.Text.Trim().ToLowerInvariant();
            if (!Required.Contains(name) && !Optional.Contains(name))
            {
                throw new ErpCsvException(field.Line, field.Column, "",
                    $"unknown column '{Shorten(field.Text)}'; the columns are {string.Join(", ", Required)} and optionally {string.Join(", ", Optional)}");
            }

            if (!columns.TryAdd(name, field.Column - 1))
            {
                throw new ErpCsvException(field.Line, field.Column, name, "the column is named twice");
            }
        }

        if (Required.FirstOrDefault(n => !columns.ContainsKey(n)) is { } missing)
        {
            throw new ErpCsvException(header[0].Line, header.Length + 1, missing, "the required column is missing from the header line");
        }

        return columns;
    }

    private static string? Text(CsvRecords.Field field, string name, int max, bool required)
    {
        var text = field.Text.Trim();
        if (text.Length == 0)
        {
            return required ? throw new ErpCsvException(field.Line, field.Column, name, "is required") : null;
        }

        if (text.Length > max)
        {
            throw new ErpCsvException(field.Line, field.Column, name, $"is {text.Length} characters long; at most {max}");
        }

        if (text.Any(char.IsControl))
        {
            throw new ErpCsvException(field.Line, field.Column, name, "holds a control character (a line break or tab)");
        }

        return text;
    }

    private static long? Whole(CsvRecords.Field field, string name, long min, long max, bool required = true)
    {
        var text = field.Text.Trim();
        if (text.Length == 0 && !required)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new ErpCsvException(field.Line, field.Column, name, $"'{Shorten(text)}' is not a whole number");
        }

        return value >= min && value <= max ? value : throw new ErpCsvException(field.Line, field.Column, name, $"{value} is outside {min}..{max:N0}");
    }

    /// <summary>A date alone means the end of that day in UTC (the next midnight); a time needs its offset or Z.</summary>
    private static DateTimeOffset DueAt(CsvRecords.Field field)
    {
        var text = field.Text.Trim();
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year < 9999)
        {
            return new DateTimeOffset(day.AddDays(1), TimeSpan.Zero);
        }

        if (DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            || DateTimeOffset.TryParseExact(text, UtcFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
        {
            return at;
        }

        throw new ErpCsvException(field.Line, field.Column, Due,
            $"'{Shorten(text)}' is not a date (2027-03-31) or a time with its offset (2027-03-31T14:00:00+01:00)");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
