namespace Millwright.Storage.TimeSeries;

/// <summary>
/// An INSERT of one row that may also run as a multi-row INSERT: <c>{Prefix} VALUES (...), (...) {Suffix}</c>.
/// Rows of one multi-row statement must not conflict with each other (PostgreSQL refuses to update a row twice).
/// </summary>
internal sealed class RowStatement(string prefix, int columns, string suffix = "")
{
    private readonly Dictionary<int, string> _multi = [];

    public int Columns { get; } = columns;

    /// <summary>The single-row form with parameters @p0, @p1, ...</summary>
    public string Single { get; } = $"{prefix} VALUES ({string.Join(", ", Enumerable.Range(0, columns).Select(i => "@p" + i))}) {suffix}";

    /// <summary>The multi-row form with positional parameters $1, $2, ... (PostgreSQL).</summary>
    public string Multi(int rows)
    {
        if (!_multi.TryGetValue(rows, out var sql))
        {
            var values = Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Enumerable.Range(1 + (r * Columns), Columns).Select(i => "$" + i)) + ")");
            sql = $"{prefix} VALUES {string.Join(", ", values)} {suffix}";
            if (rows == StatementBatch.RowsPerStatement)
            {
                _multi[rows] = sql;
            }
        }

        return sql;
    }
}
