namespace Millwright.Learning.Tests.Nab;

/// <summary>One scored file: a score per row and its anomaly windows as inclusive row ranges.</summary>
internal sealed record NabFile(string Name, double[] Scores, IReadOnlyList<(int First, int Last)> Windows)
{
    /// <summary>NAB's probationary period: the first min(floor(0.15 N), 750) rows are not scored.</summary>
    public int Probation => Math.Min((int)Math.Floor(0.15 * Scores.Length), 750);
}
