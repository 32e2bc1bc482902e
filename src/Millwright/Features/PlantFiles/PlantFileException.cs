namespace Millwright.Features.PlantFiles;

/// <summary>A plant file that cannot be imported, with the line and column (1-based) of the offending node.</summary>
internal sealed class PlantFileException(string file, long line, long column, string problem)
    : Exception($"{file}:{line}:{column}: {problem}")
{
    public long Line { get; } = line;

    public long Column { get; } = column;

    public string Problem { get; } = problem;
}
