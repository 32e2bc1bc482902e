namespace Millwright.Sparkplug;

/// <summary>Template definition or instance (specification 6.4.14).</summary>
public sealed record SparkplugTemplate(
    string? Version,
    string? TemplateRef,
    bool IsDefinition,
    IReadOnlyList<SparkplugMetric> Metrics,
    IReadOnlyList<SparkplugTemplateParameter> Parameters);
