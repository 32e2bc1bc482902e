using System.Text.RegularExpressions;
using Millwright.Api;

namespace Millwright.Features.Makerspace;

/// <summary>Ideas: proposing, reading, editing and listing them (search and ranking included).</summary>
internal static partial class Ideas
{
    public const int TitleMax = 150;
    public const int DescriptionMax = 10_000;
    public const int TagsMax = 10;

    public static async Task<IdeaDto> CreateAsync(Session s, IdeaInput input)
    {
        await Makerspace.EnsureMayContributeAsync(s);
        var idea = Validate(input);
        await Quota.EnsureRoomAsync(s, s.Tenant, "ideas", s.Quotas.Ideas, "SELECT COUNT(*) FROM ideas WHERE tenant_id = @Tenant");
        var author = Makerspace.AuthorOf(s.Caller);
        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO ideas (tenant_id, title, description, product_family, status, author_key_id, author_name, author_external, followers, created_at, updated_at)
            VALUES (@Tenant, @Title, @Description, @ProductFamily, 'submitted', @KeyId, @Name, @external, 1, @Now, @Now) RETURNING id
            """,
            new { s.Tenant, idea.Title, idea.Description, idea.ProductFamily, author.KeyId, author.Name, external = author.External ? 1L : 0L, s.Now });
        await WriteTagsAsync(s, id, idea.Tags!);

        // Authors follow their own idea, so that they hear of its comments and decision.
        await s.ExecuteAsync("INSERT INTO idea_followers (tenant_id, idea_id, key_id, created_at) VALUES (@Tenant, @id, @KeyId, @Now)", new { s.Tenant, id, author.KeyId, s.Now });
        await s.AuditAsync("create", "idea", id, $"proposed idea '{idea.Title}'" + (author.External ? " (external participant)" : ""));
        return await GetAsync(s, id);
    }

    public static async Task<IdeaDto> GetAsync(Session s, long id)
    {
        await Makerspace.EnterAsync(s);
        var row = await VisibleRowAsync(s, id);
        return (await DtosAsync(s, [row]))[0];
    }

    /// <summary>The author (while it is still open) or a moderator edits the text, tags and product family.</summary>
    public static async Task<IdeaDto> UpdateAsync(Session s, long id, IdeaInput input)
    {
        await Makerspace.EnsureMayContributeAsync(s);
        var row = await VisibleRowAsync(s, id);
        if (!Makerspace.IsModerator(s.Caller) && row.AuthorKeyId != s.Caller.KeyId)
        {
            throw ApiProblem.Forbidden("Only the idea's author or a tenant admin may edit it.");
        }

        if (row.Status is IdeaStatus.Accepted or IdeaStatus.Declined)
        {
            throw ApiProblem.Conflict($"Idea {id} is {row.Status}; a decided idea is no longer edited.");
        }

        var idea = Validate(input);
        await s.ExecuteAsync(
            $"UPDATE ideas SET title = @Title, description = @Description, product_family = @ProductFamily, {Touch} WHERE tenant_id = @Tenant AND id = @id",
            new { s.Tenant, id, idea.Title, idea.Description, idea.ProductFamily, s.Now });
        await s.ExecuteAsync("DELETE FROM idea_tags WHERE tenant_id = @Tenant AND idea_id = @id", new { s.Tenant, id });
        await WriteTagsAsync(s, id, idea.Tags!);
        await s.AuditAsync("update", "idea", id, $"edited idea '{idea.Title}'");
        return await GetAsync(s, id);
    }

    /// <summary>Every change the search index sees moves <c>updated_at</c> forward, even twice in one millisecond (the index's fingerprint needs it).</summary>
    public const string Touch = "updated_at = CASE WHEN @Now > updated_at THEN @Now ELSE updated_at + 1 END";

    /// <summary>The row, or 404 when there is none or it is hidden from a caller who does not moderate.</summary>
    public static async Task<IdeaRow> VisibleRowAsync(Session s, long id)
    {
        var row = await s.QueryOneAsync<IdeaRow>($"SELECT {IdeaRow.Columns} FROM ideas WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        if (row is null || (row.HiddenReason is not null && !Makerspace.IsModerator(s.Caller)))
        {
            throw ApiProblem.NotFound("idea", id);
        }

        return row;
    }

    /// <summary>DTOs for <paramref name="rows"/> with their tags and whether the caller voted for and follows each.</summary>
    public static async Task<List<IdeaDto>> DtosAsync(Session s, IReadOnlyList<IdeaRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var list = Makerspace.IdList(rows.Select(r => r.Id));
        var tags = (await s.QueryAsync<(long IdeaId, string Tag)>(
            $"SELECT idea_id, tag FROM idea_tags WHERE tenant_id = @Tenant AND idea_id IN ({list}) ORDER BY tag", new { s.Tenant })).ToLookup(t => t.IdeaId, t => t.Tag);
        var voted = (await s.QueryAsync<long>(
            $"SELECT idea_id FROM idea_votes WHERE tenant_id = @Tenant AND key_id = @KeyId AND idea_id IN ({list})", new { s.Tenant, s.Caller.KeyId })).ToHashSet();
        var following = (await s.QueryAsync<long>(
            $"SELECT idea_id FROM idea_followers WHERE tenant_id = @Tenant AND key_id = @KeyId AND idea_id IN ({list})", new { s.Tenant, s.Caller.KeyId })).ToHashSet();
        return rows.Select(r => r.AsDto(tags[r.Id].ToList(), voted.Contains(r.Id), following.Contains(r.Id))).ToList();
    }

    private static async Task WriteTagsAsync(Session s, long id, IEnumerable<string> tags)
    {
        foreach (var tag in tags)
        {
            await s.ExecuteAsync("INSERT INTO idea_tags (tenant_id, idea_id, tag) VALUES (@Tenant, @id, @tag)", new { s.Tenant, id, tag });
        }
    }

    private static IdeaInput Validate(IdeaInput input)
    {
        var v = new Validator();
        var title = Makerspace.Text(v, "title", input.Title, TitleMax);
        var description = Makerspace.Text(v, "description", input.Description, DescriptionMax);
        var family = input.ProductFamily is null ? null : v.Name("productFamily", input.ProductFamily);
        var tags = (input.Tags ?? []).Select(t => t?.Trim().ToLowerInvariant() ?? "").Distinct(StringComparer.Ordinal).ToArray();
        if (tags.Length > TagsMax)
        {
            v.Add("tags", $"at most {TagsMax} tags");
        }

        foreach (var tag in tags.Where(t => !TagPattern().IsMatch(t)))
        {
            v.Add("tags", $"'{tag}' is not a tag: 1-40 characters of letters, digits and '-'");
        }

        v.ThrowIfInvalid();
        return new IdeaInput(title, description, tags, family);
    }

    [GeneratedRegex(@"^[\p{L}\p{Nd}][\p{L}\p{Nd}-]{0,39}$")]
    private static partial Regex TagPattern();
}
