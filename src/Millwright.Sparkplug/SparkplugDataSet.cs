namespace Millwright.Sparkplug;

/// <summary>DataSet (specification 6.4.11): columns with basic datatypes, rows of values of those types.</summary>
public sealed record SparkplugDataSet(
    IReadOnlyList<string> Columns,
    IReadOnlyList<SparkplugDataType> Types,
    IReadOnlyList<IReadOnlyList<object?>> Rows);
