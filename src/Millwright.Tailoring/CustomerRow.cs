namespace Millwright.Tailoring;

/// <summary>One customer from an input file: id, the line it is on, and the given measurements by model column.</summary>
public sealed record CustomerRow(string Id, int Line, IReadOnlyDictionary<int, double> Given, IReadOnlyDictionary<int, string> Text);
