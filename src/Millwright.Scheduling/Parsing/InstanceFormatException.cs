namespace Millwright.Scheduling.Parsing;

/// <summary>The one exception the instance parser throws: what is wrong, and where (1-based line and column).</summary>
public sealed class InstanceFormatException : Exception
{
    public InstanceFormatException(int line, int column, string problem)
        : base($"line {line}, column {column}: {problem}")
    {
        Line = line;
        Column = column;
    }

    public InstanceFormatException()
    {
    }

    public InstanceFormatException(string message)
        : base(message)
    {
    }

    public InstanceFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Line { get; }

    public int Column { get; }
}
