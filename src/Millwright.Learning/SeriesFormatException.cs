namespace Millwright.Learning;

/// <summary>A series file that is not <c>timestamp,value</c>: the 1-based line and column of the first fault.</summary>
public sealed class SeriesFormatException(int line, int column, string reason)
    : Exception($"line {line}, column {column}: {reason}")
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = reason;
}
