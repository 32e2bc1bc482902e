namespace Millwright.Sparkplug;

/// <summary>A changed value for a DATA message; the datatype and alias come from the birth certificate.</summary>
public sealed record SparkplugDataValue(string Name, object? Value, DateTimeOffset? Timestamp = null);
