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

    /// <summary>Jobs dispatched to a machine that were still open or ended since <paramref name="since"/>: what ran before and after each setup.</summary>
    public static async Task<List<MachineJob>> MachineJobsAsync(Session s, long since) =>
        (await s.QueryAsync<(long MachineId, string Program, long DispatchedAt, long? EndedAt)>(
            """
            SELECT machine_id, program, dispatched_at, ended_at FROM jobs
            WHERE tenant_id = @Tenant AND machine_id IS NOT NULL AND dispatched_at IS NOT NULL AND (ended_at IS NULL OR ended_at >= @since)
            ORDER BY machine_id, dispatched_at
            """,
            new { s.Tenant, since })).Select(r => new MachineJob(r.MachineId, r.Program, r.DispatchedAt, r.EndedAt)).ToList();
}

/// <summary>A machine state interval; <see cref="EndAt"/> is null while it lasts.</summary>
internal sealed record StateEpisode(long MachineId, string State, long StartAt, long? EndAt);

/// <summary>A job as a machine ran it: its program, when it was sent and when it ended (null: still open).</summary>
internal sealed record MachineJob(long MachineId, string Program, long DispatchedAt, long? EndedAt);
