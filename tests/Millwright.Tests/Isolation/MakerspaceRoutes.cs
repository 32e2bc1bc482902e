namespace Millwright.Tests.Isolation;

/// <summary>The makerspace's routes for <see cref="Routes"/>; lists answered with a bare array (or the caller's own settings) are <c>OwnSettings</c>.</summary>
public static class MakerspaceRoutes
{
    public const string Prefix = "/api/v1/makerspace";

    public static IEnumerable<Route> Build()
    {
        const string p = Prefix;
        static string Idea(RouteTarget t) => $"{p}/ideas/{t.Makerspace.IdeaId}";
        object IdeaBody(RouteTarget t) => new { title = "hijacked", description = "hijacked" };
        return
        [
            new("GET", $"{p}/ideas/", RouteScope.Tenant, _ => $"{p}/ideas"),
            new("POST", $"{p}/ideas/", RouteScope.Tenant, _ => $"{p}/ideas", IdeaBody),
            new("GET", $"{p}/ideas/similar", RouteScope.Tenant, t => $"{p}/ideas/similar?text={Uri.EscapeDataString(t.Plant.Marker)}") { OwnSettings = true },
            new("GET", $"{p}/ideas/{{id:long}}", RouteScope.Tenant, Idea),
            new("PUT", $"{p}/ideas/{{id:long}}", RouteScope.Tenant, Idea, IdeaBody),
            new("POST", $"{p}/ideas/{{id:long}}/status", RouteScope.Tenant, t => $"{Idea(t)}/status", _ => new { status = "under_review" }),
            new("GET", $"{p}/ideas/{{id:long}}/contributors", RouteScope.Tenant, t => $"{Idea(t)}/contributors"),
            new("GET", $"{p}/ideas/{{id:long}}/comments", RouteScope.Tenant, t => $"{Idea(t)}/comments"),
            new("POST", $"{p}/ideas/{{id:long}}/comments", RouteScope.Tenant, t => $"{Idea(t)}/comments", _ => new { body = "hijacked" }),
            new("PUT", $"{p}/ideas/{{id:long}}/vote", RouteScope.Tenant, t => $"{Idea(t)}/vote", _ => new { }),
            new("DELETE", $"{p}/ideas/{{id:long}}/vote", RouteScope.Tenant, t => $"{Idea(t)}/vote"),
            new("PUT", $"{p}/ideas/{{id:long}}/follow", RouteScope.Tenant, t => $"{Idea(t)}/follow", _ => new { }),
            new("DELETE", $"{p}/ideas/{{id:long}}/follow", RouteScope.Tenant, t => $"{Idea(t)}/follow"),
            new("GET", $"{p}/following", RouteScope.Tenant, _ => $"{p}/following") { OwnSettings = true },
            new("GET", $"{p}/ideas/{{id:long}}/attachments", RouteScope.Tenant, t => $"{Idea(t)}/attachments"),
            new("POST", $"{p}/ideas/{{id:long}}/attachments", RouteScope.Tenant, t => $"{Idea(t)}/attachments?name=x.txt", _ => new { text = "hijacked" }),
            new("GET", $"{p}/ideas/{{id:long}}/attachments/{{sha256}}", RouteScope.Tenant, t => $"{Idea(t)}/attachments/{t.Makerspace.AttachmentSha}"),
            new("POST", $"{p}/ideas/{{id:long}}/report", RouteScope.Tenant, t => $"{Idea(t)}/report", _ => new { reason = "hijacked" }),
            new("POST", $"{p}/ideas/{{id:long}}/hide", RouteScope.Tenant, t => $"{Idea(t)}/hide", _ => new { reason = "hijacked" }),
            new("POST", $"{p}/ideas/{{id:long}}/unhide", RouteScope.Tenant, t => $"{Idea(t)}/unhide", _ => new { }),
            new("POST", $"{p}/ideas/{{id:long}}/comments/{{commentId:long}}/hide", RouteScope.Tenant, t => $"{Idea(t)}/comments/{t.Makerspace.CommentId}/hide", _ => new { reason = "hijacked" }),
            new("POST", $"{p}/ideas/{{id:long}}/comments/{{commentId:long}}/unhide", RouteScope.Tenant, t => $"{Idea(t)}/comments/{t.Makerspace.CommentId}/unhide", _ => new { }),
            new("GET", $"{p}/reports", RouteScope.Tenant, _ => $"{p}/reports?includeResolved=true") { OwnSettings = true },
            new("POST", $"{p}/reports/{{id:long}}/resolve", RouteScope.Tenant, t => $"{p}/reports/{t.Makerspace.ReportId}/resolve"),
            new("GET", $"{p}/bans", RouteScope.Tenant, _ => $"{p}/bans") { OwnSettings = true },
            new("POST", $"{p}/bans", RouteScope.Tenant, _ => $"{p}/bans", t => new { keyId = t.Makerspace.ParticipantKeyId, reason = "hijacked" }),
            new("DELETE", $"{p}/bans/{{keyId:long}}", RouteScope.Tenant, t => $"{p}/bans/{t.Makerspace.ParticipantKeyId}"),
            new("GET", $"{p}/settings", RouteScope.Tenant, _ => $"{p}/settings") { OwnSettings = true },
            new("PUT", $"{p}/settings", RouteScope.Tenant, _ => $"{p}/settings", _ => new { openToExternal = true }) { OwnSettings = true },
            new("GET", $"{p}/participants", RouteScope.Tenant, _ => $"{p}/participants") { OwnSettings = true },
            new("POST", $"{p}/participants", RouteScope.Tenant, _ => $"{p}/participants", _ => new { name = "intruder", email = "intruder@example.org" }) { OwnSettings = true },
            new("DELETE", $"{p}/participants/{{id:long}}", RouteScope.Tenant, t => $"{p}/participants/{t.Makerspace.ParticipantId}"),
            new("GET", $"{p}/notifications", RouteScope.Tenant, _ => $"{p}/notifications") { OwnSettings = true },
            new("POST", $"{p}/notifications/read", RouteScope.Tenant, _ => $"{p}/notifications/read", _ => new { upTo = long.MaxValue }) { OwnSettings = true },
            new("GET", $"{p}/notifications/stream", RouteScope.Tenant, _ => $"{p}/notifications/stream") { OwnSettings = true },
            new("GET", $"{p}/invitations", RouteScope.Tenant, _ => $"{p}/invitations") { OwnSettings = true },
            new("POST", $"{p}/invitations", RouteScope.Tenant, _ => $"{p}/invitations", _ => new { uses = 1 }) { OwnSettings = true },
            new("DELETE", $"{p}/invitations/{{id:long}}", RouteScope.Tenant, t => $"{p}/invitations/{t.Makerspace.InvitationId}"),
            new("POST", $"{p}/register", RouteScope.Anonymous, _ => $"{p}/register", t => new { invitation = t.Makerspace.RegisterToken, name = "walker", email = $"walker-{Guid.NewGuid():N}@example.org" }),
        ];
    }
}
