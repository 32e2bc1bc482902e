using System.Text.Json;
using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>The <c>plan_revisions</c> table: what each re-plan changed (docs/production.md, Plan stability).</summary>
internal static partial class ProductionStore
{
    private static readonly JsonSerializerOptions PlanJson = new(JsonSerializerDefaults.Web);

    /// <summary>How long revisions are kept: older ones are dropped as new ones are written.</summary>
    public static readonly TimeSpan RevisionsKept = TimeSpan.FromDays(30);

    public static async Task RecordRevisionAsync(Session s, string reason, int jobs, int frozen, long weightedTardiness, long penalty, IReadOnlyList<PlanMove> moves)
    {
        await s.ExecuteAsync("DELETE FROM plan_revisions WHERE tenant_id = @Tenant AND planned_at < @before",
            new { s.Tenant, before = s.Now - (long)RevisionsKept.TotalMilliseconds });
        await s.ExecuteAsync(
            """
            INSERT INTO plan_revisions (tenant_id, planned_at, reason, jobs, frozen, moved, weighted_tardiness, change_penalty, moves)
            VALUES (@Tenant, @Now, @reason, @jobs, @frozen, @moved, @weightedTardiness, @penalty, @json)
            """,
            new
            {
                s.Tenant, s.Now, reason = reason.Length > 2000 ? reason[..2000] : reason, jobs = (long)jobs, frozen = (long)frozen, moved = (long)moves.Count,
                weightedTardiness, penalty, json = JsonSerializer.Serialize(moves.Take(500), PlanJson),
            });
    }

    /// <summary>Revisions in [from, to), newest first.</summary>
    public static async Task<List<PlanRevisionDto>> RevisionsAsync(Session s, long from, long to, int limit)
    {
        var rows = await s.QueryAsync<(long Id, long PlannedAt, string Reason, long Jobs, long Frozen, long Moved, long WeightedTardiness, long ChangePenalty, string Moves)>(
            """
            SELECT id, planned_at, reason, jobs, frozen, moved, weighted_tardiness, change_penalty, moves FROM plan_revisions
            WHERE tenant_id = @Tenant AND planned_at >= @from AND planned_at < @to
            ORDER BY planned_at DESC, id DESC LIMIT @limit
            """,
            new { s.Tenant, from, to, limit });
        return rows.Select(r => new PlanRevisionDto(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.PlannedAt), r.Reason, r.Jobs, r.Frozen, r.Moved,
            r.WeightedTardiness / 3600.0, r.ChangePenalty / 3600.0,
            (JsonSerializer.Deserialize<List<PlanMove>>(r.Moves, PlanJson) ?? []).Select(PlanMoveDto.Of).ToList())).ToList();
    }
}
