namespace Millwright.Tailoring;

/// <summary>One measurement's held-out accuracy: mean absolute errors of the model, of OLS and of the copula alone, and the 90 % interval's coverage.</summary>
public sealed record EvaluationRow(string Measurement, double ModelMae, double OlsMae, double Coverage, double CopulaMae);
