namespace Millwright.Tailoring;

/// <summary>What the plausibility check found: errors refuse the body, warnings accompany it.</summary>
public sealed record PlausibilityResult(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public bool Accepted => Errors.Count == 0;
}
