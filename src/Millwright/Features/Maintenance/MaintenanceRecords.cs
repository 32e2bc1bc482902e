using System.Globalization;
using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.States;

namespace Millwright.Features.Maintenance;

/// <summary>
/// Maintenance records (docs/predictive-maintenance.md, "Maintenance records"): an operator confirms that a planned
/// maintenance stop was carried out, or records the repair of a breakdown. Only these renew a part for the risk
/// estimate; a planned stop that passes unconfirmed renews nothing, so the planner plans again. Tenant-scoped and audited.
/// </summary>
internal static class MaintenanceRecords
{
    public const string Maintenance = "maintenance", Repair = "repair";

    /// <summary>A record may say the work was done up to this long ago (the risk estimate reads no further back).</summary>
    public static readonly TimeSpan OldestDoneAt = MachineRisk.Lookback;

    /// <summary>Clocks differ a little: "done at" may be this far past the server's now.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    private const string Columns = "id, machine_id, kind, done_at, planned_stop_from, breakdown_state_id, note, recorded_by, created_at";

    public static async Task<IReadOnlyList<MaintenanceRecordDto>> ListAsync(Session s, long machineId)
    {
        await SiteOfAsync(s, machineId);
        var rows = await s.QueryAsync<MaintenanceRecordRow>(
            $"SELECT {Columns} FROM maintenance_records WHERE tenant_id = @Tenant AND machine_id = @machineId ORDER BY done_at DESC, id DESC LIMIT 1000",
            new { s.Tenant, machineId });
        return [.. rows.Select(r => r.AsDto())];
    }

    /// <summary>The records of every machine of a type done since <paramref name="from"/>, by machine, oldest first.</summary>
    public static async Task<ILookup<long, MaintenanceRecordRow>> OfTypeAsync(Session s, long typeId, long from)
    {
        var rows = await s.QueryAsync<MaintenanceRecordRow>(
            $"""
            SELECT {string.Join(", ", Columns.Split(", ").Select(c => "r." + c))} FROM maintenance_records r
            JOIN machines m ON m.tenant_id = r.tenant_id AND m.id = r.machine_id
            WHERE r.tenant_id = @Tenant AND m.type_id = @typeId AND r.done_at >= @from ORDER BY r.done_at, r.id
            """, new { s.Tenant, typeId, from });
        return rows.ToLookup(r => r.MachineId);
    }

    public static async Task<MaintenanceRecordDto> RecordAsync(Session s, long machineId, MaintenanceRecordInput input)
    {
        var siteId = await SiteOfAsync(s, machineId);
        var v = new Validator();
        var note = v.Description("note", input.Note);
        v.ThrowIfInvalid();
        var (kind, doneAt, stopFrom, breakdownId) = input.Kind switch
        {
            Maintenance => await MaintenanceAsync(s, machineId, siteId, input),
            Repair => await RepairAsync(s, machineId, input),
            _ => throw ApiProblem.Invalid("kind", $"must be '{Maintenance}' (a planned stop carried out) or '{Repair}' (a breakdown repaired)"),
        };
        if (doneAt > s.Now + (long)Skew.TotalMilliseconds)
        {
            throw ApiProblem.Invalid("doneAt", "is in the future: record the work once it is done");
        }

        if (doneAt < s.Now - (long)OldestDoneAt.TotalMilliseconds)
        {
            throw ApiProblem.Invalid("doneAt", FormattableString.Invariant($"is more than {OldestDoneAt.TotalDays} days ago, further back than the risk estimate reads"));
        }

        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO maintenance_records (tenant_id, machine_id, kind, done_at, planned_stop_from, breakdown_state_id, note, recorded_by, created_at)
            VALUES (@Tenant, @machineId, @kind, @doneAt, @stopFrom, @breakdownId, @note, @actor, @Now) RETURNING id
            """, new { s.Tenant, machineId, kind, doneAt, stopFrom, breakdownId, note, actor = s.Caller.Actor, s.Now });
        var what = kind == Maintenance
            ? stopFrom is { } f ? string.Create(CultureInfo.InvariantCulture, $"the planned stop from {DateTimeOffset.FromUnixTimeMilliseconds(f):u} carried out") : "maintenance carried out"
            : $"the breakdown (down interval {breakdownId}) repaired";
        await s.AuditAsync("create", "maintenance_record", id,
            string.Create(CultureInfo.InvariantCulture, $"machine {machineId}: {what}, done at {DateTimeOffset.FromUnixTimeMilliseconds(doneAt):u}"));
        var row = await s.QueryOneAsync<MaintenanceRecordRow>($"SELECT {Columns} FROM maintenance_records WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        return row!.AsDto();
    }

    /// <summary>Maintenance: with a planned stop named, it must be one of the machine's maintenance stops, begun, and not confirmed yet.</summary>
    private static async Task<(string, long, long?, long?)> MaintenanceAsync(Session s, long machineId, long siteId, MaintenanceRecordInput input)
    {
        if (input.BreakdownStateId is not null)
        {
            throw ApiProblem.Invalid("breakdownStateId", $"belongs to a '{Repair}' record, not to maintenance");
        }

        if (input.PlannedStopFrom is not { } named)
        {
            return (Maintenance, input.DoneAt?.ToUnixTimeMilliseconds() ?? s.Now, null, null);
        }

        var from = named.ToUnixTimeMilliseconds();
        var stop = (await SiteCalendars.GetAsync(s, siteId)).Calendar.PlannedStops
            .FirstOrDefault(p => p.MachineId == machineId && p.From.ToUnixTimeMilliseconds() == from && MachineLife.IsMaintenance(p.Reason))
            ?? throw ApiProblem.Invalid("plannedStopFrom", $"is not the start of a maintenance stop of machine {machineId} in its site's calendar");
        if (from > s.Now)
        {
            throw ApiProblem.Invalid("plannedStopFrom", "the planned stop has not begun yet");
        }

        if (await s.QueryOneAsync<long?>("SELECT id FROM maintenance_records WHERE tenant_id = @Tenant AND machine_id = @machineId AND planned_stop_from = @from",
                new { s.Tenant, machineId, from }) is { } earlier)
        {
            throw ApiProblem.Conflict($"The planned stop is already confirmed (maintenance record {earlier}).");
        }

        var doneAt = input.DoneAt?.ToUnixTimeMilliseconds() ?? Math.Min(s.Now, stop.To.ToUnixTimeMilliseconds());
        if (doneAt < from)
        {
            throw ApiProblem.Invalid("doneAt", "is before the planned stop begins");
        }

        return (Maintenance, doneAt, from, null);
    }

    /// <summary>A repair names the machine's down interval it ended, which must not have a repair recorded yet.</summary>
    private static async Task<(string, long, long?, long?)> RepairAsync(Session s, long machineId, MaintenanceRecordInput input)
    {
        if (input.PlannedStopFrom is not null)
        {
            throw ApiProblem.Invalid("plannedStopFrom", $"belongs to a '{Maintenance}' record, not to a repair");
        }

        var id = input.BreakdownStateId ?? throw ApiProblem.Invalid("breakdownStateId", "is required: the id of the machine's down interval that was repaired");
        var downs = await s.QueryAsync<(long StartAt, long? EndAt)>(
            "SELECT start_at, end_at FROM machine_states WHERE tenant_id = @Tenant AND machine_id = @machineId AND id = @id AND state = @state",
            new { s.Tenant, machineId, id, state = MachineStateNames.Down });
        if (downs.Count == 0)
        {
            throw ApiProblem.Invalid("breakdownStateId", $"is not a down interval of machine {machineId}");
        }

        var down = downs[0];
        if (await s.QueryOneAsync<long?>("SELECT id FROM maintenance_records WHERE tenant_id = @Tenant AND breakdown_state_id = @id", new { s.Tenant, id }) is { } earlier)
        {
            throw ApiProblem.Conflict($"The breakdown's repair is already recorded (maintenance record {earlier}).");
        }

        var doneAt = input.DoneAt?.ToUnixTimeMilliseconds() ?? down.EndAt ?? s.Now;
        if (doneAt < down.StartAt)
        {
            throw ApiProblem.Invalid("doneAt", "is before the breakdown began");
        }

        return (Repair, doneAt, null, id);
    }

    private static async Task<long> SiteOfAsync(Session s, long machineId) =>
        await s.QueryOneAsync<long?>(
            """
            SELECT a.site_id FROM machines m JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id WHERE m.tenant_id = @Tenant AND m.id = @machineId
            """, new { s.Tenant, machineId })
        ?? throw ApiProblem.NotFound("machine", machineId);
}
