using Millwright.Api;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Notifications to followers of an idea or a design project: a row per follower (not the one who acted), written
/// in the transaction of the event itself, so a follower is told exactly what committed. Read over REST, and pushed
/// live on the stream once the route that made the event rings the <see cref="NotificationBell"/>.
/// </summary>
internal static class FollowerNotifications
{
    public const int Limit = 200;
    private const string Columns = "id, subject, subject_id, event, text, actor, created_at, read_at";

    /// <summary>Tells the followers of idea <paramref name="ideaId"/> what happened (status, comment).</summary>
    public static Task<int> IdeaAsync(Session s, long ideaId, string @event, string text) =>
        NotifyAsync(s, "idea", ideaId, @event, text, "SELECT key_id FROM idea_followers WHERE tenant_id = @Tenant AND idea_id = @subjectId");

    /// <summary>Tells the followers of design project <paramref name="projectId"/> what happened (a revision, a release).</summary>
    public static Task<int> ProjectAsync(Session s, long projectId, string @event, string text) =>
        NotifyAsync(s, "project", projectId, @event, text, "SELECT key_id FROM design_followers WHERE tenant_id = @Tenant AND project_id = @subjectId");

    private static Task<int> NotifyAsync(Session s, string subject, long subjectId, string @event, string text, string followers) =>
        s.ExecuteAsync(
            $"""
            INSERT INTO follower_notifications (tenant_id, key_id, subject, subject_id, event, text, actor, created_at)
            SELECT @Tenant, f.key_id, @subject, @subjectId, @event, @text, @Actor, @Now FROM ({followers}) f WHERE f.key_id <> @KeyId
            """,
            new { s.Tenant, subject, subjectId, @event, text = text.Length <= 500 ? text : text[..500], s.Caller.Actor, s.Now, s.Caller.KeyId });

    /// <summary>The caller's notifications after <paramref name="after"/> (oldest first), or the latest ones (newest first).</summary>
    public static async Task<IReadOnlyList<NotificationDto>> ListAsync(Session s, long? after, bool unreadOnly)
    {
        await Makerspace.EnterAsync(s);
        var unread = unreadOnly ? "AND read_at IS NULL" : "";
        var rows = after is { } from
            ? await s.QueryAsync<NotificationRow>(
                $"SELECT {Columns} FROM follower_notifications WHERE tenant_id = @Tenant AND key_id = @KeyId AND id > @from {unread} ORDER BY id LIMIT {Limit}",
                new { s.Tenant, s.Caller.KeyId, from })
            : await s.QueryAsync<NotificationRow>(
                $"SELECT {Columns} FROM follower_notifications WHERE tenant_id = @Tenant AND key_id = @KeyId {unread} ORDER BY id DESC LIMIT {Limit}",
                new { s.Tenant, s.Caller.KeyId });
        return rows.Select(r => r.AsDto()).ToList();
    }

    /// <summary>Marks the caller's notifications up to <c>input.UpTo</c> read; returns how many it marked.</summary>
    public static async Task<ReadResultDto> MarkReadAsync(Session s, ReadInput input)
    {
        await Makerspace.EnterAsync(s);
        if (input.UpTo is not > 0)
        {
            throw ApiProblem.Invalid("upTo", "the id of the last notification read is required");
        }

        var marked = await s.ExecuteAsync(
            "UPDATE follower_notifications SET read_at = @Now WHERE tenant_id = @Tenant AND key_id = @KeyId AND id <= @UpTo AND read_at IS NULL",
            new { s.Now, s.Tenant, s.Caller.KeyId, input.UpTo });
        return new ReadResultDto(marked);
    }

    private sealed class NotificationRow
    {
        public long Id { get; set; }
        public string Subject { get; set; } = "";
        public long SubjectId { get; set; }
        public string Event { get; set; } = "";
        public string Text { get; set; } = "";
        public string Actor { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? ReadAt { get; set; }

        public NotificationDto AsDto() => new(Id, Subject, SubjectId, Event, Text, Actor, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            ReadAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
    }
}
