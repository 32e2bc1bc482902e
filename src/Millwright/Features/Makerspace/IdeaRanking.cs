namespace Millwright.Features.Makerspace;

/// <summary>
/// The makerspace's ranking (docs/makerspace.md): engagement E = votes + comments / 2 + followers / 4, and
/// rank = (1 + E) × 2^(−age / 14 days). A new idea starts at 1 and an idea keeps its place only while people
/// keep engaging with it: every fortnight halves what it earned. Comments count half a vote because a
/// discussion is interest but may be disagreement; following is the weakest signal (authors follow their own).
/// </summary>
internal static class IdeaRanking
{
    public static readonly TimeSpan HalfLife = TimeSpan.FromDays(14);

    public static double Engagement(long votes, long comments, long followers) => votes + (comments / 2.0) + (followers / 4.0);

    public static double Score(long votes, long comments, long followers, long createdAtMs, long nowMs)
    {
        var age = Math.Max(0, nowMs - createdAtMs);
        return (1 + Engagement(votes, comments, followers)) * Math.Pow(2, -age / HalfLife.TotalMilliseconds);
    }
}
