using System.Globalization;

namespace Millwright.Tailoring;

/// <summary>
/// The input of <c>millwright c2m infer</c>: a column <c>id</c> and any of the model's measurement columns (ANSUR II
/// names, case-insensitive, same units). Unknown or repeated columns, text in a number's place, duplicate or empty
/// ids, and a file with no rows are <see cref="CsvFormatException"/>s naming the line and column. An empty cell means
/// "not measured". The given text is kept so that the output passes it through unchanged.
/// </summary>
public static class CustomerCsv
{
    public static IReadOnlyList<CustomerRow> Parse(ReadOnlySpan<byte> bytes, PopulationModel model)
    {
        var table = CsvTable.Parse(bytes);
        var idColumn = -1;
        var columns = new int[table.Header.Count];
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var f = 0; f < table.Header.Count; f++)
        {
            var name = table.Header[f].Trim();
            if (seen.TryGetValue(name, out var first))
            {
                throw new CsvFormatException(1, f + 1, $"column '{name}' appears twice (first in column {first + 1})");
            }

            seen[name] = f;
            if (string.Equals(name, "id", StringComparison.OrdinalIgnoreCase))
            {
                idColumn = f;
                columns[f] = -1;
                continue;
            }

            var column = model.IndexOf(name);
            if (column < 0 || name.Equals(PopulationModel.AgeColumn, StringComparison.OrdinalIgnoreCase))
            {
                throw new CsvFormatException(1, f + 1, $"unknown column '{name}': expected id and ANSUR II measurement names");
            }

            columns[f] = column;
        }

        if (idColumn < 0)
        {
            throw new CsvFormatException(1, 1, "no 'id' column");
        }

        if (table.Rows.Count == 0)
        {
            throw new CsvFormatException(2, 1, "no rows after the header");
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<CustomerRow>(table.Rows.Count);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var fields = table.Rows[r];
            var line = table.Lines[r];
            var id = fields[idColumn].Trim();
            if (id.Length == 0)
            {
                throw new CsvFormatException(line, idColumn + 1, "empty id");
            }

            if (!ids.TryAdd(id, line))
            {
                throw new CsvFormatException(line, idColumn + 1, $"duplicate id '{id}' (first on line {ids[id]})");
            }

            var given = new Dictionary<int, double>();
            var text = new Dictionary<int, string>();
            for (var f = 0; f < fields.Length; f++)
            {
                var raw = fields[f].Trim();
                if (f == idColumn || raw.Length == 0)
                {
                    continue;
                }

                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    throw new CsvFormatException(line, f + 1, $"'{Shorten(raw)}' in column {table.Header[f].Trim()} is not a number");
                }

                given[columns[f]] = value;
                text[columns[f]] = fields[f];
            }

            rows.Add(new CustomerRow(id, line, given, text));
        }

        return rows;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
