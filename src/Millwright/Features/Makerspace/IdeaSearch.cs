using Millwright.Api;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Listing and searching ideas. Filters run in SQL; ranking (<see cref="IdeaRanking"/>) and text relevance
/// (<see cref="Bm25Index"/>) are computed over the filtered ideas in memory, which the ideas quota bounds,
/// and the page is cut by offset.
/// </summary>
internal static class IdeaSearch
{
    public const int MaxLimit = 100;
    public const int SimilarMax = 20;

    public static async Task<IdeaPage> ListAsync(Session s, IdeaIndex index, IdeaQuery query)
    {
        await Makerspace.EnterAsync(s);
        var v = new Validator();
        var limit = query.Limit ?? 20;
        var offset = query.Offset ?? 0;
        if (limit is < 1 or > MaxLimit)
        {
            v.Add("limit", $"must be between 1 and {MaxLimit}");
        }

        if (offset < 0)
        {
            v.Add("offset", "must not be negative");
        }

        if (query.Status is { } status && !IdeaStatus.All.Contains(status))
        {
            v.Add("status", $"must be one of {string.Join(", ", IdeaStatus.All)}");
        }

        var sort = query.Sort ?? (string.IsNullOrWhiteSpace(query.Q) ? "rank" : "relevance");
        if (sort is not ("rank" or "new" or "votes" or "relevance") || (sort == "relevance" && string.IsNullOrWhiteSpace(query.Q)))
        {
            v.Add("sort", "must be rank, new, votes, or relevance (with q)");
        }

        v.ThrowIfInvalid();
        var rows = await s.QueryAsync<IdeaRow>(
            $"""
            SELECT {IdeaRow.Columns} FROM ideas
            WHERE tenant_id = @Tenant AND (hidden_reason IS NULL OR @moderator)
              AND (@Status IS NULL OR status = @Status)
              AND (@family IS NULL OR lower(product_family) = @family)
              AND (@tag IS NULL OR EXISTS (SELECT 1 FROM idea_tags t WHERE t.tenant_id = ideas.tenant_id AND t.idea_id = ideas.id AND t.tag = @tag))
            """,
            new { s.Tenant, moderator = Makerspace.IsModerator(s.Caller), query.Status, family = query.ProductFamily?.Trim().ToLowerInvariant(), tag = query.Tag?.Trim().ToLowerInvariant() });

        IEnumerable<IdeaRow> ordered = rows;
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var relevance = (await index.ForAsync(s)).Score(query.Q);
            ordered = rows.Where(r => relevance.ContainsKey(r.Id));
            if (sort == "relevance")
            {
                ordered = ordered.OrderByDescending(r => relevance[r.Id]).ThenByDescending(r => r.Id);
            }
        }

        var now = s.Now;
        ordered = sort switch
        {
            "rank" => ordered.OrderByDescending(r => r.Rank(now)).ThenByDescending(r => r.Id),
            "new" => ordered.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id),
            "votes" => ordered.OrderByDescending(r => r.Votes).ThenByDescending(r => r.Id),
            _ => ordered,
        };
        var page = ordered.Skip(offset).Take(limit + 1).ToList();
        var more = page.Count > limit;
        return new IdeaPage(await Ideas.DtosAsync(s, page.Take(limit).ToList()), more ? offset + limit : null);
    }

    /// <summary>Ideas like <paramref name="text"/>, best first: what a proposer is shown while typing, to find an existing idea to join instead.</summary>
    public static async Task<IReadOnlyList<SimilarIdea>> SimilarAsync(Session s, IdeaIndex index, string? text, int? limit)
    {
        await Makerspace.EnterAsync(s);
        var k = limit ?? 5;
        if (k is < 1 or > SimilarMax)
        {
            throw ApiProblem.Invalid("limit", $"must be between 1 and {SimilarMax}");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiProblem.Invalid("text", "is required: the title and description typed so far");
        }

        if (text.Length > TextTokens.MaxChars)
        {
            throw ApiProblem.Invalid("text", $"must be at most {TextTokens.MaxChars} characters");
        }

        var top = (await index.ForAsync(s)).Top(text, k);
        if (top.Count == 0)
        {
            return [];
        }

        var rows = (await s.QueryAsync<(long Id, string Title, string Status)>(
            $"SELECT id, title, status FROM ideas WHERE tenant_id = @Tenant AND id IN ({Makerspace.IdList(top.Select(t => t.Id))}) AND hidden_reason IS NULL", new { s.Tenant })).ToDictionary(r => r.Id);
        return top.Where(t => rows.ContainsKey(t.Id)).Select(t => new SimilarIdea(t.Id, rows[t.Id].Title, rows[t.Id].Status, Math.Round(t.Score, 4))).ToList();
    }
}
