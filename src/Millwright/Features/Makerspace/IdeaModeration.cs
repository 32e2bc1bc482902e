using Millwright.Api;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Moderation: anyone who may contribute reports an idea or comment; tenant admins hide and unhide ideas and
/// comments, resolve reports and ban keys from contributing. Every moderator action is in the audit log with its reason.
/// </summary>
internal static class IdeaModeration
{
    public const int ReasonMax = 1_000;

    public static async Task<IdeaDto> HideIdeaAsync(Session s, long id, ReasonInput input, bool hide)
    {
        var idea = await Ideas.VisibleRowAsync(s, id);
        var reason = hide ? RequireReason(input) : null;
        await s.ExecuteAsync($"UPDATE ideas SET hidden_reason = @reason, {Ideas.Touch} WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id, reason, s.Now });
        await s.AuditAsync(hide ? "hide" : "unhide", "idea", id, hide ? $"hid idea '{idea.Title}': {reason}" : $"showed idea '{idea.Title}' again");
        return await Ideas.GetAsync(s, id);
    }

    public static async Task<CommentDto> HideCommentAsync(Session s, long ideaId, long commentId, ReasonInput input, bool hide)
    {
        var idea = await Ideas.VisibleRowAsync(s, ideaId);
        var reason = hide ? RequireReason(input) : null;
        var wasHidden = await s.QueryOneAsync<CommentState>(
            "SELECT hidden_reason FROM idea_comments WHERE tenant_id = @Tenant AND idea_id = @ideaId AND id = @commentId", new { s.Tenant, ideaId, commentId })
            ?? throw ApiProblem.NotFound("comment", commentId);
        await s.ExecuteAsync("UPDATE idea_comments SET hidden_reason = @reason WHERE tenant_id = @Tenant AND id = @commentId", new { s.Tenant, commentId, reason });

        // The idea's comment count is what readers can see, which ranking uses.
        var delta = (wasHidden.HiddenReason is null, hide) switch { (true, true) => -1L, (false, false) => 1L, _ => 0L };
        await s.ExecuteAsync("UPDATE ideas SET comments = comments + @delta WHERE tenant_id = @Tenant AND id = @ideaId", new { s.Tenant, ideaId, delta });
        await s.AuditAsync(hide ? "hide" : "unhide", "idea_comment", commentId, hide ? $"hid a comment on idea '{idea.Title}': {reason}" : $"showed a comment on idea '{idea.Title}' again");
        return (await IdeaComments.ListAsync(s, ideaId)).Single(c => c.Id == commentId);
    }

    public static async Task<ReportDto> ReportAsync(Session s, long ideaId, ReportInput input)
    {
        await Makerspace.EnsureMayContributeAsync(s);
        var idea = await Ideas.VisibleRowAsync(s, ideaId);
        var reason = RequireReason(new ReasonInput(input.Reason));
        if (input.CommentId is { } commentId
            && await s.ScalarAsync<long>("SELECT COUNT(*) FROM idea_comments WHERE tenant_id = @Tenant AND idea_id = @ideaId AND id = @commentId", new { s.Tenant, ideaId, commentId }) == 0)
        {
            throw ApiProblem.Invalid("commentId", $"there is no comment {commentId} on idea {ideaId}");
        }

        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO idea_reports (tenant_id, idea_id, comment_id, reason, reporter_key_id, reporter_name, created_at)
            VALUES (@Tenant, @ideaId, @CommentId, @reason, @KeyId, @Actor, @Now) RETURNING id
            """,
            new { s.Tenant, ideaId, input.CommentId, reason, s.Caller.KeyId, s.Caller.Actor, s.Now });
        await s.AuditAsync("report", "idea", ideaId, $"reported {(input.CommentId is { } c ? $"comment {c} on " : "")}idea '{idea.Title}': {reason}");
        return (await ReportsAsync(s, true)).Single(r => r.Id == id);
    }

    public static async Task<IReadOnlyList<ReportDto>> ReportsAsync(Session s, bool includeResolved)
    {
        var rows = await s.QueryAsync<ReportRow>(
            """
            SELECT id, idea_id, comment_id, reason, reporter_name, created_at, resolved_at FROM idea_reports
            WHERE tenant_id = @Tenant AND (@includeResolved OR resolved_at IS NULL) ORDER BY id LIMIT 500
            """,
            new { s.Tenant, includeResolved });
        return rows.Select(r => new ReportDto(r.Id, r.IdeaId, r.CommentId, r.Reason, r.ReporterName, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
            r.ResolvedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null)).ToList();
    }

    public static async Task<ReportDto> ResolveAsync(Session s, long reportId)
    {
        var changed = await s.ExecuteAsync("UPDATE idea_reports SET resolved_at = @Now WHERE tenant_id = @Tenant AND id = @reportId AND resolved_at IS NULL", new { s.Tenant, reportId, s.Now });
        var report = (await ReportsAsync(s, true)).SingleOrDefault(r => r.Id == reportId) ?? throw ApiProblem.NotFound("report", reportId);
        if (changed > 0)
        {
            await s.AuditAsync("resolve", "idea_report", reportId, $"resolved the report on idea {report.IdeaId}");
        }

        return report;
    }

    /// <summary>Bans a key of this tenant (a member's or a participant's) from contributing; it may still read.</summary>
    public static async Task<BanDto> BanAsync(Session s, BanInput input)
    {
        var reason = RequireReason(new ReasonInput(input.Reason));
        if (input.KeyId is not { } keyId
            || await s.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE tenant_id = @Tenant AND id = @keyId", new { s.Tenant, keyId }) == 0)
        {
            throw ApiProblem.Invalid("keyId", "must name a key of this tenant");
        }

        if (keyId == s.Caller.KeyId)
        {
            throw ApiProblem.Invalid("keyId", "a moderator does not ban their own key");
        }

        await s.ExecuteAsync("DELETE FROM makerspace_bans WHERE tenant_id = @Tenant AND key_id = @keyId", new { s.Tenant, keyId });
        await s.ExecuteAsync(
            "INSERT INTO makerspace_bans (tenant_id, key_id, reason, banned_by, banned_at) VALUES (@Tenant, @keyId, @reason, @Actor, @Now)",
            new { s.Tenant, keyId, reason, s.Caller.Actor, s.Now });
        await s.AuditAsync("ban", "api_key", keyId, $"banned key {keyId} from contributing to the makerspace: {reason}");
        return new BanDto(keyId, reason, s.Caller.Actor, DateTimeOffset.FromUnixTimeMilliseconds(s.Now));
    }

    public static async Task UnbanAsync(Session s, long keyId)
    {
        if (await s.ExecuteAsync("DELETE FROM makerspace_bans WHERE tenant_id = @Tenant AND key_id = @keyId", new { s.Tenant, keyId }) == 0)
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Key {keyId} is not banned.");
        }

        await s.AuditAsync("unban", "api_key", keyId, $"lifted the makerspace ban of key {keyId}");
    }

    public static async Task<IReadOnlyList<BanDto>> BansAsync(Session s) =>
        (await s.QueryAsync<(long KeyId, string Reason, string BannedBy, long BannedAt)>(
            "SELECT key_id, reason, banned_by, banned_at FROM makerspace_bans WHERE tenant_id = @Tenant ORDER BY banned_at, key_id", new { s.Tenant }))
        .Select(b => new BanDto(b.KeyId, b.Reason, b.BannedBy, DateTimeOffset.FromUnixTimeMilliseconds(b.BannedAt))).ToList();

    private static string RequireReason(ReasonInput input)
    {
        var v = new Validator();
        var reason = Makerspace.Text(v, "reason", input.Reason, ReasonMax);
        v.ThrowIfInvalid();
        return reason;
    }

    private sealed class CommentState
    {
        public string? HiddenReason { get; set; }
    }

    private sealed class ReportRow
    {
        public long Id { get; set; }
        public long IdeaId { get; set; }
        public long? CommentId { get; set; }
        public string Reason { get; set; } = "";
        public string ReporterName { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? ResolvedAt { get; set; }
    }
}
