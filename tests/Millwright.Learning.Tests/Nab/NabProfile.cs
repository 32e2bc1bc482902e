namespace Millwright.Learning.Tests.Nab;

/// <summary>NAB 1.1's application profile weights (shared data README).</summary>
internal sealed record NabProfile(string Name, double TruePositive, double FalsePositive, double FalseNegative)
{
    public static NabProfile Standard { get; } = new("standard", 1, 0.11, 1);

    public static NabProfile LowFalsePositives { get; } = new("reward_low_FP_rate", 1, 0.22, 1);

    public static NabProfile LowFalseNegatives { get; } = new("reward_low_FN_rate", 1, 0.11, 2);

    public static IReadOnlyList<NabProfile> All { get; } = [Standard, LowFalsePositives, LowFalseNegatives];
}
