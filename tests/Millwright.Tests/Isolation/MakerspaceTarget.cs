using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Isolation;

/// <summary>
/// Tenant A's makerspace for the walks: open to participants, one registered participant (whose key the
/// participant walk uses), an idea named with the marker, a participant's comment on it, an attachment and a report.
/// </summary>
public sealed record MakerspaceTarget(long IdeaId, long CommentId, long ReportId, long ParticipantId, long ParticipantKeyId, string ParticipantKey, string AttachmentSha)
{
    public static readonly MakerspaceTarget None = new(0, 0, 0, 0, 0, "", "");

    public static async Task<MakerspaceTarget> CreateAsync(TestHost host, TestTenant a, string marker)
    {
        await a.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = true }, HttpStatusCode.OK);
        var registered = await a.Admin.PostJsonAsync("/api/v1/makerspace/participants", new { name = $"{marker} maker", email = $"{marker.ToLowerInvariant()}@example.org" }, HttpStatusCode.Created);
        var key = registered["key"]!.GetValue<string>();
        using var participant = host.Client(key);
        var idea = await a.Operator.PostJsonAsync("/api/v1/makerspace/ideas", new { title = $"{marker} idea", description = $"{marker} description", tags = new[] { "walk" } }, HttpStatusCode.Created);
        var comment = await participant.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/comments", new { body = $"{marker} comment" }, HttpStatusCode.Created);
        var report = await participant.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/report", new { reason = $"{marker} report", commentId = comment.Id() }, HttpStatusCode.Created);
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"{marker} notes"));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        using var attached = await a.Operator.PostAsync($"/api/v1/makerspace/ideas/{idea.Id()}/attachments?name=notes.txt", content);
        var sha = (await HttpAssertions.ExpectAsync(attached, HttpStatusCode.Created))["sha256"]!.GetValue<string>();
        return new MakerspaceTarget(idea.Id(), comment.Id(), report.Id(), registered["participant"]!.Id(), registered["participant"]!["keyId"]!.GetValue<long>(), key, sha);
    }

    /// <summary>What A's admin sees of its makerspace, for the walks' before/after snapshots.</summary>
    public IEnumerable<string> SnapshotPaths() =>
    [
        "/api/v1/makerspace/ideas?sort=new", $"/api/v1/makerspace/ideas/{IdeaId}/comments", $"/api/v1/makerspace/ideas/{IdeaId}/attachments",
        $"/api/v1/makerspace/ideas/{IdeaId}/contributors", "/api/v1/makerspace/reports?includeResolved=true", "/api/v1/makerspace/bans",
        "/api/v1/makerspace/participants", "/api/v1/makerspace/settings", "/api/v1/makerspace/following",
    ];
}
