namespace Millwright.Features.Makerspace;

/// <summary>
/// An immutable Okapi BM25 index over ideas (k1 = 1.2, b = 0.75; Robertson's idf with +1 so that it stays
/// positive). A document is its title twice (titles say what an idea is about), its tags and its description.
/// Built whole and swapped in; queries read it without locks.
/// </summary>
internal sealed class Bm25Index
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly Dictionary<string, List<(int Doc, int Count)>> _postings = new(StringComparer.Ordinal);
    private readonly long[] _ids;
    private readonly int[] _lengths;
    private readonly double _averageLength;

    public Bm25Index(IReadOnlyList<IndexedIdea> ideas)
    {
        _ids = new long[ideas.Count];
        _lengths = new int[ideas.Count];
        long total = 0;
        for (var doc = 0; doc < ideas.Count; doc++)
        {
            var idea = ideas[doc];
            _ids[doc] = idea.Id;
            var terms = TextTokens.Of(idea.Title);
            terms.AddRange(terms.ToList());
            terms.AddRange(idea.Tags.SelectMany(TextTokens.Of));
            terms.AddRange(TextTokens.Of(idea.Description));
            _lengths[doc] = terms.Count;
            total += terms.Count;
            foreach (var group in terms.GroupBy(t => t, StringComparer.Ordinal))
            {
                if (!_postings.TryGetValue(group.Key, out var list))
                {
                    _postings[group.Key] = list = [];
                }

                list.Add((doc, group.Count()));
            }
        }

        _averageLength = ideas.Count == 0 ? 1 : Math.Max(1, (double)total / ideas.Count);
    }

    public int Count => _ids.Length;

    /// <summary>Every idea sharing a term with <paramref name="text"/>, with its BM25 score (higher is more similar).</summary>
    public Dictionary<long, double> Score(string text)
    {
        var scores = new Dictionary<long, double>();
        var n = _ids.Length;
        foreach (var term in TextTokens.Of(text).Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(term, out var postings))
            {
                continue;
            }

            var idf = Math.Log(1 + ((n - postings.Count + 0.5) / (postings.Count + 0.5)));
            foreach (var (doc, count) in postings)
            {
                var norm = K1 * (1 - B + (B * _lengths[doc] / _averageLength));
                var add = idf * count * (K1 + 1) / (count + norm);
                scores[_ids[doc]] = scores.GetValueOrDefault(_ids[doc]) + add;
            }
        }

        return scores;
    }

    /// <summary>The <paramref name="k"/> best-scoring ideas, best first, ties by the older idea.</summary>
    public IReadOnlyList<(long Id, double Score)> Top(string text, int k) =>
        Score(text).OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(k).Select(p => (p.Key, p.Value)).ToList();
}
