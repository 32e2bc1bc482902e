namespace Millwright.Sparkplug;

/// <summary>
/// A metric value with its name resolved (aliases looked up in the birth certificate) and its value typed by the
/// birth's datatype. The timestamp is the metric's, else the payload's, else the host's receive time.
/// </summary>
public sealed record SparkplugMetricUpdate(
    string GroupId,
    string EdgeNodeId,
    string? DeviceId,
    string Name,
    SparkplugDataType DataType,
    object? Value,
    DateTimeOffset Timestamp,
    bool IsHistorical,
    bool IsTransient);
