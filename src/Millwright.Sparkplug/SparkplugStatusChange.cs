namespace Millwright.Sparkplug;

/// <summary>An edge node (DeviceId null) or one of its devices went online or offline at the given time.</summary>
public sealed record SparkplugStatusChange(string GroupId, string EdgeNodeId, string? DeviceId, bool Online, DateTimeOffset At);
