using System.Collections.Concurrent;
using Millwright.Api;

namespace Millwright.Features.Makerspace;

/// <summary>
/// The platform's duplicate-detection index: one <see cref="Bm25Index"/> per tenant over its visible ideas,
/// kept in memory. Before each use it compares a fingerprint of the tenant's ideas (their number and the sum
/// of their <c>updated_at</c>, which every indexed change strictly increases) with the one it was built from and
/// rebuilds when they differ. That makes it right on every node of a cluster without any message between
/// nodes, at the cost of one aggregate query per use and a rebuild after a change (bounded by the ideas quota).
/// </summary>
internal sealed class IdeaIndex
{
    private readonly ConcurrentDictionary<long, (Fingerprint Print, Bm25Index Index)> _tenants = new();

    public async Task<Bm25Index> ForAsync(Session s)
    {
        var print = await s.QueryOneAsync<Fingerprint>(
            "SELECT COUNT(*) AS Count, CAST(COALESCE(SUM(updated_at), 0) AS BIGINT) AS Sum FROM ideas WHERE tenant_id = @Tenant", new { s.Tenant });
        if (_tenants.TryGetValue(s.Tenant, out var held) && held.Print == print)
        {
            return held.Index;
        }

        var rows = await s.QueryAsync<IndexRow>(
            "SELECT id, title, description FROM ideas WHERE tenant_id = @Tenant AND hidden_reason IS NULL ORDER BY id", new { s.Tenant });
        var tags = (await s.QueryAsync<(long IdeaId, string Tag)>(
                "SELECT idea_id, tag FROM idea_tags WHERE tenant_id = @Tenant", new { s.Tenant }))
            .ToLookup(t => t.IdeaId, t => t.Tag);
        var index = new Bm25Index(rows.Select(r => new IndexedIdea(r.Id, r.Title, r.Description, tags[r.Id].ToList())).ToList());
        _tenants[s.Tenant] = (print!, index);
        return index;
    }

    private sealed record Fingerprint(long Count, long Sum);

    private sealed class IndexRow
    {
        public long Id { get; set; }
        public string Title { get; set; } = "";
        public string Description { get; set; } = "";
    }
}
