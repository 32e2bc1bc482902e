using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Isolation;

/// <summary>
/// Tenant A's makerspace for the walks: open to participants, one participant who registered themselves with an
/// invitation (whose key the participant walk uses), an idea named with the marker, a participant's comment on it, an
/// attachment and a report; and an invitation of another tenant's, with which the anonymous walk registers (changing nothing of A's).
/// </summary>
public sealed record MakerspaceTarget(long IdeaId, long CommentId, long ReportId, long ParticipantId, long ParticipantKeyId, string ParticipantKey, string AttachmentSha, long InvitationId = 0, string RegisterToken = "")
{
    public static readonly MakerspaceTarget None = new(0, 0, 0, 0, 0, "", "");

    public static async Task<MakerspaceTarget> CreateAsync(TestHost host, TestTenant a, string marker)
    {
        await a.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = true }, HttpStatusCode.OK);
        var invitation = await a.Admin.PostJsonAsync("/api/v1/makerspace/invitations", new { note = $"{marker} invitation", uses = 10 }, HttpStatusCode.Created);
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        var registered = await anonymous.PostJsonAsync("/api/v1/makerspace/register",
            new { invitation = invitation["token"]!.GetValue<string>(), name = $"{marker} maker", email = $"{marker.ToLowerInvariant()}@example.org" }, HttpStatusCode.OK);
        var key = registered["key"]!.GetValue<string>();
        using var participant = host.Client(key);
        var idea = await a.Operator.PostJsonAsync("/api/v1/makerspace/ideas", new { title = $"{marker} idea", description = $"{marker} description", tags = new[] { "walk" } }, HttpStatusCode.Created);
        var comment = await participant.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/comments", new { body = $"{marker} comment" }, HttpStatusCode.Created);
        var report = await participant.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/report", new { reason = $"{marker} report", commentId = comment.Id() }, HttpStatusCode.Created);
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"{marker} notes"));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        using var attached = await a.Operator.PostAsync($"/api/v1/makerspace/ideas/{idea.Id()}/attachments?name=notes.txt", content);
        var sha = (await HttpAssertions.ExpectAsync(attached, HttpStatusCode.Created))["sha256"]!.GetValue<string>();
        var elsewhere = await host.CreateTenantAsync();
        await elsewhere.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = true }, HttpStatusCode.OK);
        var open = await elsewhere.Admin.PostJsonAsync("/api/v1/makerspace/invitations", new { uses = 100 }, HttpStatusCode.Created);
        elsewhere.Dispose();
        return new MakerspaceTarget(idea.Id(), comment.Id(), report.Id(), registered["participant"]!.Id(), registered["participant"]!["keyId"]!.GetValue<long>(), key, sha, invitation["invitation"]!.Id(), open["token"]!.GetValue<string>());
    }

    /// <summary>What A's admin sees of its makerspace, for the walks' before/after snapshots.</summary>
    public IEnumerable<string> SnapshotPaths() =>
    [
        "/api/v1/makerspace/ideas?sort=new", $"/api/v1/makerspace/ideas/{IdeaId}/comments", $"/api/v1/makerspace/ideas/{IdeaId}/attachments",
        $"/api/v1/makerspace/ideas/{IdeaId}/contributors", "/api/v1/makerspace/reports?includeResolved=true", "/api/v1/makerspace/bans",
        "/api/v1/makerspace/participants", "/api/v1/makerspace/settings", "/api/v1/makerspace/following", "/api/v1/makerspace/invitations",
        "/api/v1/makerspace/notifications",
    ];
}
