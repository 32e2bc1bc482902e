namespace Millwright.Tailoring;

/// <summary>A CSV file that cannot be read, with the 1-based line and column of the fault.</summary>
public sealed class CsvFormatException(int line, int column, string message)
    : FormatException($"line {line}, column {column}: {message}")
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = message;
}
