namespace Millwright.Sparkplug;

/// <summary>Template.Parameter (specification 6.4.15); the value is null when absent.</summary>
public sealed record SparkplugTemplateParameter(string? Name, SparkplugDataType Type, object? Value);
