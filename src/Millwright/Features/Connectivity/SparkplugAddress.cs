namespace Millwright.Features.Connectivity;

/// <summary>Where a Sparkplug B machine is reached: its edge node, and the device under it (null when the machine is the node).</summary>
internal sealed record SparkplugAddress(string GroupId, string EdgeNodeId, string? DeviceId);
