namespace Millwright.Features.Sharing;

/// <summary>The ranked candidates of a request, how many offers were considered, and how many each constraint excluded.</summary>
internal sealed record RankResult(IReadOnlyList<Candidate> Candidates, IReadOnlyDictionary<string, int> Excluded, int Considered)
{
    /// <summary>Why nobody can serve the request, naming every constraint that excluded offers, most first; null when someone can.</summary>
    public string? Explanation => Candidates.Count > 0 ? null
        : Considered == 0 ? "No other tenant offers capacity at present."
        : "No offer can serve this request: " + string.Join("; ", Excluded.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Value} {(e.Value == 1 ? "offer" : "offers")} excluded by {e.Key} ({Constraint.Explain(e.Key)})")) + ".";
}
