using Millwright.Api;

namespace Millwright.Features.States;

/// <summary>State history, operator reasons and the current state of many machines, from the store.</summary>
internal static class MachineStates
{
    public const int MaxIntervals = 10_000;

    /// <summary>The longest [from, to) the state history and the KPIs answer for.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);
    private const string Columns = "id, machine_id, state, start_at, end_at, reason, reason_source";

    /// <summary>Intervals that overlap [from, to), oldest first; at most <see cref="MaxIntervals"/>.</summary>
    public static async Task<IReadOnlyList<StateIntervalDto>> HistoryAsync(Session s, long machineId, StateHistoryQuery query)
    {
        await Machines.Machines.GetAsync(s, machineId);
        var (from, to) = TimeRange.Of(query.From, query.To, s.Now, MaxRange);
        var rows = await s.QueryAsync<StateIntervalRow>(
            $"""
            SELECT {Columns} FROM machine_states
            WHERE tenant_id = @Tenant AND machine_id = @machineId AND start_at < @to AND (end_at IS NULL OR end_at > @from)
            ORDER BY start_at, id LIMIT @Take
            """,
            new { s.Tenant, machineId, from, to, Take = MaxIntervals });
        return rows.Select(r => r.AsDto()).ToList();
    }

    /// <summary>Every interval of the machine that overlaps [from, to), for the KPIs; not limited.</summary>
    public static Task<IReadOnlyList<StateIntervalRow>> IntervalsAsync(Session s, long machineId, long from, long to) =>
        s.QueryAsync<StateIntervalRow>(
            $"""
            SELECT {Columns} FROM machine_states
            WHERE tenant_id = @Tenant AND machine_id = @machineId AND start_at < @to AND (end_at IS NULL OR end_at > @from)
            ORDER BY start_at, id
            """,
            new { s.Tenant, machineId, from, to });

    public static async Task<StateIntervalDto> SetReasonAsync(Session s, long machineId, long stateId, ReasonInput input)
    {
        var v = new Validator();
        var reason = v.Name("reason", input.Reason);
        v.ThrowIfInvalid();
        var changed = await s.ExecuteAsync(
            "UPDATE machine_states SET reason = @reason, reason_source = 'operator' WHERE tenant_id = @Tenant AND machine_id = @machineId AND id = @stateId",
            new { s.Tenant, machineId, stateId, reason });
        if (changed == 0)
        {
            throw ApiProblem.NotFound("state interval", stateId);
        }

        await s.AuditAsync("update", "machine_state", stateId, $"set the reason of state interval {stateId} of machine {machineId}: {reason}");
        var row = await s.QueryOneAsync<StateIntervalRow>($"SELECT {Columns} FROM machine_states WHERE tenant_id = @Tenant AND id = @stateId", new { s.Tenant, stateId });
        return row!.AsDto();
    }

    /// <summary>The open interval of every machine of a site or line (or the tenant), by machine id.</summary>
    public static async Task<IReadOnlyList<MachineStateDto>> CurrentAsync(Session s, CurrentStatesQuery query)
    {
        if (query.Site is { } site)
        {
            await Sites.Sites.GetAsync(s, site);
        }

        if (query.Line is { } line)
        {
            await Lines.Lines.GetAsync(s, line);
        }

        var rows = await s.QueryAsync<MachineStateRow>(
            """
            SELECT m.id AS MachineId, m.name AS Name, m.line_id AS LineId, st.state AS State, st.start_at AS SinceMs, st.reason AS Reason, st.id AS IntervalId
            FROM machines m
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            LEFT JOIN machine_states st ON st.tenant_id = m.tenant_id AND st.machine_id = m.id AND st.end_at IS NULL
            WHERE m.tenant_id = @Tenant AND (@Site IS NULL OR a.site_id = @Site) AND (@Line IS NULL OR m.line_id = @Line)
            ORDER BY m.id
            """,
            new { s.Tenant, query.Site, query.Line });
        return rows.Select(r => r.AsDto()).ToList();
    }
}
