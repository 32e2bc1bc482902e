using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Audit;

internal sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Action, string Entity, long? EntityId, string Summary);

internal sealed class AuditRow
{
    public long Id { get; set; }
    public long At { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string Entity { get; set; } = "";
    public long? EntityId { get; set; }
    public string Summary { get; set; } = "";

    public AuditEntryDto AsDto() => new(Id, DateTimeOffset.FromUnixTimeMilliseconds(At), Actor, Action, Entity, EntityId, Summary);
}

/// <summary>The audit log, read by tenant admins for their tenant and by the platform admin for platform events.</summary>
internal static class AuditApi
{
    public static void MapAudit(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit", async (int? limit, long? after, string? entity, long? entityId, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var page = PageRequest.From(limit, after);
                return TypedResults.Ok(await sessions.RunAsync(caller, async s =>
                {
                    var rows = await s.QueryAsync<AuditRow>(
                        """
                        SELECT id, at, actor, action, entity, entity_id, summary FROM audit_log
                        WHERE (tenant_id = @scope OR (tenant_id IS NULL AND @scope IS NULL)) AND id > @After
                          AND (@entity IS NULL OR entity = @entity) AND (@entityId IS NULL OR entity_id = @entityId)
                        ORDER BY id LIMIT @Take
                        """,
                        new { scope = caller.TenantId, page.After, entity, entityId, Take = page.Limit + 1 });
                    return page.ToPage(rows, r => r.Id, r => r.AsDto());
                }, ct));
            })
            .WithTags("Audit")
            .RequireAuthorization(Policies.Admin);
}
