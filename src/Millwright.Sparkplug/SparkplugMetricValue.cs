namespace Millwright.Sparkplug;

/// <summary>A metric as a birth certificate or a command announces it: name, datatype and current value (null = is_null).</summary>
public sealed record SparkplugMetricValue(string Name, SparkplugDataType DataType, object? Value, DateTimeOffset? Timestamp = null);
