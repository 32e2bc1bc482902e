using Millwright.Api;
using Millwright.Features.Calendars;

namespace Millwright.Features.States;

/// <summary>The tracker's SQL: machine configuration, state intervals and production counts, scoped by the session's tenant.</summary>
internal static class StateStore
{
    /// <summary>A machine's rules and its site's calendar; null when the machine does not exist (any more).</summary>
    public static async Task<(CompiledRules Rules, SiteCalendar Calendar)?> LoadConfigAsync(Session s, long machineId)
    {
        var site = await s.QueryAsync<long>(
            """
            SELECT a.site_id FROM machines m
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            WHERE m.tenant_id = @Tenant AND m.id = @machineId
            """,
            new { s.Tenant, machineId });
        if (site.Count == 0)
        {
            return null;
        }

        var rules = await StateRules.OfMachineAsync(s, machineId);
        return (new CompiledRules(rules), await SiteCalendars.LoadAsync(s, site[0]));
    }

    public static async Task<(long Id, string State, long StartAt, string? Reason)?> OpenIntervalAsync(Session s, long machineId)
    {
        var rows = await s.QueryAsync<(long Id, string State, long StartAt, string? Reason)>(
            "SELECT id, state, start_at, reason FROM machine_states WHERE tenant_id = @Tenant AND machine_id = @machineId AND end_at IS NULL",
            new { s.Tenant, machineId });
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Closes the machine's open interval at <paramref name="at"/> and opens the next one there; returns its id.</summary>
    public static async Task<long> ChangeAsync(Session s, long machineId, string state, long at, string? reason, string? reasonSource)
    {
        await s.ExecuteAsync(
            "UPDATE machine_states SET end_at = CASE WHEN start_at > @at THEN start_at ELSE @at END WHERE tenant_id = @Tenant AND machine_id = @machineId AND end_at IS NULL",
            new { s.Tenant, machineId, at });
        return await s.ScalarAsync<long>(
            """
            INSERT INTO machine_states (tenant_id, machine_id, state, start_at, end_at, reason, reason_source)
            VALUES (@Tenant, @machineId, @state, @at, NULL, @reason, @reasonSource) RETURNING id
            """,
            new { s.Tenant, machineId, state, at, reason, reasonSource });
    }

    public static Task AddCountsAsync(Session s, long machineId, long bucket, string program, double produced, double scrap, double energy) =>
        s.ExecuteAsync(
            """
            INSERT INTO production_counts (tenant_id, machine_id, bucket_at, program, produced, scrap, energy)
            VALUES (@Tenant, @machineId, @bucket, @program, @produced, @scrap, @energy)
            ON CONFLICT (tenant_id, machine_id, bucket_at, program) DO UPDATE SET
                produced = production_counts.produced + excluded.produced,
                scrap = production_counts.scrap + excluded.scrap,
                energy = production_counts.energy + excluded.energy
            """,
            new { s.Tenant, machineId, bucket, program, produced, scrap, energy });

    /// <summary>Adds the track's pending counts of minutes before <paramref name="before"/> to the store and forgets them.</summary>
    public static async Task FlushAsync(Session s, MachineTrack track, long before)
    {
        foreach (var key in track.Pending.Keys.Where(k => k.Bucket < before).ToList())
        {
            var (produced, scrap, energy) = track.Pending[key];
            await AddCountsAsync(s, track.MachineId, key.Bucket, key.Program, produced, scrap, energy);
            track.Pending.Remove(key);
        }
    }
}
