namespace Millwright.Tailoring;

/// <summary>A sex's held-out accuracy: per measurement, and the means over them.</summary>
public sealed record EvaluationResult(IReadOnlyList<EvaluationRow> Rows, double ModelMae, double OlsMae, double Coverage, double CopulaMae);
