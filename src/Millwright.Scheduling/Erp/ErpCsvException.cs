namespace Millwright.Scheduling.Erp;

/// <summary>
/// The one exception the ERP order CSV reader throws: what is wrong and where. <see cref="Line"/> is the 1-based
/// physical line the field starts on, <see cref="Column"/> the 1-based field position in its record and
/// <see cref="ColumnName"/> the header's name for it (empty when the header itself is at fault before a name is known).
/// </summary>
public sealed class ErpCsvException : Exception
{
    public ErpCsvException(int line, int column, string columnName, string problem)
        : base(columnName.Length > 0 ? $"line {line}, column {column} ({columnName}): {problem}" : $"line {line}, column {column}: {problem}")
    {
        Line = line;
        Column = column;
        ColumnName = columnName;
        Problem = problem;
    }

    public ErpCsvException()
    {
    }

    public ErpCsvException(string message)
        : base(message)
    {
    }

    public ErpCsvException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Line { get; }

    public int Column { get; }

    public string ColumnName { get; } = "";

    public string Problem { get; } = "";
}
