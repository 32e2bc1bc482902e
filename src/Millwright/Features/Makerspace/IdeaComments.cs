using Millwright.Api;

namespace Millwright.Features.Makerspace;

/// <summary>Threaded comments: a reply names its parent comment of the same idea. Hidden comments keep their place in the thread without their text.</summary>
internal static class IdeaComments
{
    public const int BodyMax = 5_000;

    /// <summary>How deep replies nest, so that threads stay readable.</summary>
    public const int MaxDepth = 8;

    public static async Task<CommentDto> CreateAsync(Session s, long ideaId, CommentInput input)
    {
        await Makerspace.EnsureMayContributeAsync(s);
        var idea = await Ideas.VisibleRowAsync(s, ideaId);
        var v = new Validator();
        var body = Makerspace.Text(v, "body", input.Body, BodyMax);
        v.ThrowIfInvalid();
        if (input.ParentId is { } parent)
        {
            var depth = await DepthAsync(s, ideaId, parent);
            if (depth >= MaxDepth)
            {
                throw ApiProblem.Invalid("parentId", $"replies nest at most {MaxDepth} deep");
            }
        }

        var author = Makerspace.AuthorOf(s.Caller);
        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO idea_comments (tenant_id, idea_id, parent_id, author_key_id, author_name, author_external, body, created_at)
            VALUES (@Tenant, @ideaId, @ParentId, @KeyId, @Name, @external, @body, @Now) RETURNING id
            """,
            new { s.Tenant, ideaId, input.ParentId, author.KeyId, author.Name, external = author.External ? 1L : 0L, body, s.Now });
        await s.ExecuteAsync("UPDATE ideas SET comments = comments + 1 WHERE tenant_id = @Tenant AND id = @ideaId", new { s.Tenant, ideaId });
        await FollowerNotifications.IdeaAsync(s, ideaId, "comment", $"{author.Name} commented on '{idea.Title}': {(body.Length <= 200 ? body : body[..200] + "…")}");
        await s.AuditAsync("create", "idea_comment", id, $"commented on idea '{idea.Title}'" + (author.External ? " (external participant)" : ""));
        return (await ListAsync(s, ideaId)).Single(c => c.Id == id);
    }

    /// <summary>The idea's comments in the order they were written; a client builds the tree from parentId.</summary>
    public static async Task<IReadOnlyList<CommentDto>> ListAsync(Session s, long ideaId)
    {
        await Makerspace.EnterAsync(s);
        await Ideas.VisibleRowAsync(s, ideaId);
        var moderator = Makerspace.IsModerator(s.Caller);
        var rows = await s.QueryAsync<CommentRow>(
            "SELECT id, idea_id, parent_id, author_key_id, author_name, author_external, body, hidden_reason, created_at FROM idea_comments WHERE tenant_id = @Tenant AND idea_id = @ideaId ORDER BY id",
            new { s.Tenant, ideaId });
        return rows.Select(r => r.AsDto(moderator)).ToList();
    }

    private static async Task<int> DepthAsync(Session s, long ideaId, long commentId)
    {
        var depth = 0;
        long? current = commentId;
        while (current is { } id)
        {
            var parent = await s.QueryOneAsync<ParentRow>(
                "SELECT idea_id, parent_id FROM idea_comments WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
            if (parent is null || parent.IdeaId != ideaId)
            {
                throw ApiProblem.Invalid("parentId", $"there is no comment {commentId} on idea {ideaId}");
            }

            depth++;
            current = parent.ParentId;
        }

        return depth;
    }

    private sealed class ParentRow
    {
        public long IdeaId { get; set; }
        public long? ParentId { get; set; }
    }

    private sealed class CommentRow
    {
        public long Id { get; set; }
        public long IdeaId { get; set; }
        public long? ParentId { get; set; }
        public long AuthorKeyId { get; set; }
        public string AuthorName { get; set; } = "";
        public long AuthorExternal { get; set; }
        public string Body { get; set; } = "";
        public string? HiddenReason { get; set; }
        public long CreatedAt { get; set; }

        public CommentDto AsDto(bool moderator)
        {
            var hidden = HiddenReason is not null;
            return new CommentDto(Id, IdeaId, ParentId, new Author(AuthorKeyId, AuthorName, AuthorExternal == 1), hidden && !moderator ? null : Body, hidden,
                moderator ? HiddenReason : null, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
        }
    }
}
