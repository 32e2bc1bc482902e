using Millwright.Api;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Moves an idea through its lifecycle (staff only) with an audit entry per move. Accepting names the project it
/// becomes and freezes its contributors (author and commenters) for reward; declining requires a reason.
/// </summary>
internal static class IdeaDecisions
{
    public const int ReasonMax = 2_000;

    public static async Task<IdeaDto> MoveAsync(Session s, long id, StatusInput input)
    {
        var row = await Ideas.VisibleRowAsync(s, id);
        var v = new Validator();
        var to = input.Status ?? "";
        if (!IdeaStatus.All.Contains(to))
        {
            v.Add("status", $"must be one of {string.Join(", ", IdeaStatus.All)}");
        }

        var reason = Makerspace.Text(v, "reason", input.Reason, ReasonMax, required: to == IdeaStatus.Declined);
        var project = to == IdeaStatus.Accepted ? v.Name("project", input.Project) : null;
        v.ThrowIfInvalid();
        if (!IdeaStatus.MayMove(row.Status, to))
        {
            throw ApiProblem.Conflict($"Idea {id} is {row.Status} and cannot move to {to}: the lifecycle is submitted → under_review → accepted or declined.");
        }

        var decided = to is IdeaStatus.Accepted or IdeaStatus.Declined;
        var changed = await s.ExecuteAsync(
            $"""
            UPDATE ideas SET status = @to, decision_reason = @reason, project = @project, decided_at = @decidedAt, {Ideas.Touch}
            WHERE tenant_id = @Tenant AND id = @id AND status = @from
            """,
            new { s.Tenant, id, to, from = row.Status, reason = reason.Length == 0 ? null : reason, project, decidedAt = decided ? s.Now : (long?)null, s.Now });
        if (changed == 0)
        {
            throw ApiProblem.Conflict($"Idea {id} changed status meanwhile; read it again.");
        }

        if (to == IdeaStatus.Accepted)
        {
            await RecordContributorsAsync(s, row);
        }

        await FollowerNotifications.IdeaAsync(s, id, "status", $"Idea '{row.Title}' is now {to}"
            + (project is null ? "" : $" as project '{project}'") + (reason.Length == 0 ? "" : $": {reason}"));
        await s.AuditAsync("status", "idea", id, $"moved idea '{row.Title}' from {row.Status} to {to}"
            + (project is null ? "" : $" as project '{project}'") + (reason.Length == 0 ? "" : $"; reason: {reason}"));
        return await Ideas.GetAsync(s, id);
    }

    public static async Task<IReadOnlyList<ContributorDto>> ContributorsAsync(Session s, long id)
    {
        await Makerspace.EnterAsync(s);
        await Ideas.VisibleRowAsync(s, id);
        var rows = await s.QueryAsync<ContributorRow>(
            "SELECT key_id, name, external, authored, comments FROM idea_contributors WHERE tenant_id = @Tenant AND idea_id = @id ORDER BY authored DESC, comments DESC, key_id",
            new { s.Tenant, id });
        return rows.Select(r => new ContributorDto(r.KeyId, r.Name, r.External == 1, r.Authored == 1, r.Comments)).ToList();
    }

    /// <summary>The author and everyone whose visible comments shaped the idea, as they stand at acceptance.</summary>
    private static async Task RecordContributorsAsync(Session s, IdeaRow idea)
    {
        var commenters = await s.QueryAsync<ContributorRow>(
            """
            SELECT author_key_id AS key_id, MIN(author_name) AS name, MAX(author_external) AS external, 0 AS authored, COUNT(*) AS comments
            FROM idea_comments WHERE tenant_id = @Tenant AND idea_id = @Id AND hidden_reason IS NULL
            GROUP BY author_key_id
            """,
            new { s.Tenant, idea.Id });
        var all = commenters.ToDictionary(c => c.KeyId);
        if (all.TryGetValue(idea.AuthorKeyId, out var author))
        {
            author.Authored = 1;
        }
        else
        {
            all[idea.AuthorKeyId] = new ContributorRow { KeyId = idea.AuthorKeyId, Name = idea.AuthorName, External = idea.AuthorExternal, Authored = 1 };
        }

        foreach (var c in all.Values)
        {
            await s.ExecuteAsync(
                "INSERT INTO idea_contributors (tenant_id, idea_id, key_id, name, external, authored, comments) VALUES (@Tenant, @ideaId, @KeyId, @Name, @External, @Authored, @Comments)",
                new { s.Tenant, ideaId = idea.Id, c.KeyId, c.Name, c.External, c.Authored, c.Comments });
        }
    }

    private sealed class ContributorRow
    {
        public long KeyId { get; set; }
        public string Name { get; set; } = "";
        public long External { get; set; }
        public long Authored { get; set; }
        public long Comments { get; set; }
    }
}
