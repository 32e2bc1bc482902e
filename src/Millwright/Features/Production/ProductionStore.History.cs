using Millwright.Api;
using Millwright.Features.States;

namespace Millwright.Features.Production;

/// <summary>The planner's reads of the machines' history: state episodes (down, offline, setup) and the jobs around them.</summary>
internal static partial class ProductionStore
{
    private const string LearnedStates = $"('{MachineStateNames.Down}', '{MachineStateNames.Offline}', '{MachineStateNames.Setup}')";

    /// <summary>Down, offline and setup episodes still open or ended since <paramref name="since"/>, per machine in time order.</summary>
    public static async Task<List<StateEpisode>> StateEpisodesAsync(Session s, long since) =>
        (await s.QueryAsync<(long MachineId, string State, long StartAt, long? EndAt)>(
            $"""
            SELECT machine_id, state, start_at, end_at FROM machine_states
            WHERE tenant_id = @Tenant AND state IN {LearnedStates} AND (end_at IS NULL OR end_at >= @since)
            ORDER BY machine_id, start_at
            """,
            new { s.Tenant, since })).Select(r => new StateEpisode(r.MachineId, r.State, r.StartAt, r.EndAt)).ToList();

    /// <summary>
    /// Jobs dispatched to a machine that were still open or ended since <paramref name="since"/>: what ran before and after
    /// each setup, with their setup family as the tenant files them now (the program's, else the item's).
    /// </summary>
    public static async Task<List<MachineJob>> MachineJobsAsync(Session s, long since) =>
        (await s.QueryAsync<(long MachineId, string Program, long DispatchedAt, long? EndedAt, string Family)>(
            """
            SELECT j.machine_id, j.program, j.dispatched_at, j.ended_at, COALESCE(pf.family, itf.family, '') FROM jobs j
            JOIN orders o ON o.tenant_id = j.tenant_id AND o.id = j.order_id
            LEFT JOIN program_setup_families pf ON pf.tenant_id = j.tenant_id AND pf.program = j.program
            LEFT JOIN item_setup_families itf ON itf.tenant_id = o.tenant_id AND itf.item_id = o.item_id
            WHERE j.tenant_id = @Tenant AND j.machine_id IS NOT NULL AND j.dispatched_at IS NOT NULL AND (j.ended_at IS NULL OR j.ended_at >= @since)
            ORDER BY j.machine_id, j.dispatched_at
            """,
            new { s.Tenant, since })).Select(r => new MachineJob(r.MachineId, r.Program, r.DispatchedAt, r.EndedAt, r.Family)).ToList();
}

/// <summary>A machine state interval; <see cref="EndAt"/> is null while it lasts.</summary>
internal sealed record StateEpisode(long MachineId, string State, long StartAt, long? EndAt);

/// <summary>A job as a machine ran it: its program, when it was sent and when it ended (null: still open), and its setup family ("": none).</summary>
internal sealed record MachineJob(long MachineId, string Program, long DispatchedAt, long? EndedAt, string Family = "");
