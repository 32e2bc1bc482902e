using System.Text.Json;
using Millwright.Api;
using Millwright.Features.Calendars;

namespace Millwright.Features.Production;

/// <summary>
/// Applies a what-if the user has looked at, in one transaction, only if the plan it was compared with is still
/// the plan being followed (same fingerprint, <see cref="WhatIfPlanner.Stamp"/>) and it is fresh: otherwise it is
/// refused with the reason (the re-plan that changed it, or what did). Applying makes the scenario real: rush
/// orders are created and released, each removed machine gets a planned stop in its site's calendar until the
/// scenario's last job ends (so later re-plans keep off it), overtime goes into the line's site calendar (so later
/// re-plans plan with it too), and the waiting jobs take the scenario's places.
/// </summary>
internal static class WhatIfApply
{
    public static readonly TimeSpan Fresh = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Kept = TimeSpan.FromDays(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<WhatIfApplied> ApplyAsync(Session s, long id)
    {
        var rows = await s.QueryAsync<(long AskedAt, string Stamp, string Scenario, string Placements, string Moves, long? AppliedAt)>(
            "SELECT asked_at, stamp, scenario, placements, moves, applied_at FROM what_if_plans WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        var (askedAt, stamp, scenarioJson, placementsJson, movesJson, appliedAt) = rows.Count == 1 ? rows[0] : throw ApiProblem.NotFound("what-if", id);
        if (appliedAt is { } applied)
        {
            throw ApiProblem.Conflict($"What-if {id} was applied at {At(applied)}.");
        }

        var scenario = JsonSerializer.Deserialize<WhatIfInput>(scenarioJson, Json)!;
        if (s.Now - askedAt > Fresh.TotalMilliseconds)
        {
            throw ApiProblem.Conflict($"What-if {id} was asked at {At(askedAt)}, more than {Fresh.TotalMinutes:0} minutes ago; its times have passed. Ask again.");
        }

        var orders = await ProductionStore.OpenOrdersAsync(s);
        if (WhatIfPlanner.Stamp(orders) != stamp)
        {
            throw ApiProblem.Conflict($"What-if {id} cannot be applied: the plan changed since it was asked ({await WhyChangedAsync(s, askedAt)}). Ask again.");
        }

        var placements = JsonSerializer.Deserialize<List<WhatIfPlacement>>(placementsJson, Json)!;
        var created = new List<long>();
        var rushJobs = new Dictionary<(int Rush, int Seq), long>();
        foreach (var (rush, index) in (scenario.RushOrders ?? []).Select((r, i) => (r, i)))
        {
            var order = await Orders.CreateAsync(s, new OrderInput(null, "what-if", rush?.ItemId, rush?.SiteId, rush?.Quantity, rush?.DueAt, rush?.Priority ?? 100, null, false));
            await Orders.ReleaseAsync(s, order.Id);
            created.Add(order.Id);
            foreach (var job in (await ProductionStore.JobsOfAsync(s, [order.Id])).GetValueOrDefault(order.Id, []))
            {
                rushJobs[(index, job.Seq)] = job.Id;
            }
        }

        var stopped = new List<long>();
        var lastEnd = placements.Count > 0 ? placements.Max(p => p.End) : s.Now;
        foreach (var machine in (scenario.RemoveMachines ?? []).Distinct())
        {
            await StopAsync(s, machine, Math.Max(lastEnd, s.Now + 3_600_000), id);
            stopped.Add(machine);
        }

        var overtimeLines = new List<long>();
        foreach (var overtime in (scenario.Overtime ?? []).OfType<OvertimeInput>())
        {
            var siteId = await s.QueryOneAsync<long?>(
                "SELECT a.site_id FROM lines l JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id WHERE l.tenant_id = @Tenant AND l.id = @LineId",
                new { s.Tenant, overtime.LineId }) ?? throw ApiProblem.Conflict($"Line {overtime.LineId} was deleted since the what-if was asked.");
            await CalendarEdits.AddOvertimeAsync(s, siteId, new OvertimeWindowInput(overtime.From, overtime.To, overtime.LineId, $"overtime from what-if {id}"));
            overtimeLines.Add(overtime.LineId!.Value);
        }

        var placed = 0;
        foreach (var p in placements)
        {
            var jobId = p.JobId ?? rushJobs.GetValueOrDefault((p.Rush!.Value, p.Seq!.Value));
            if (jobId != 0)
            {
                await ProductionStore.PlaceJobAsync(s, jobId, p.MachineId, p.Start, p.SetupMs, p.End);
                placed++;
            }
        }

        var moves = JsonSerializer.Deserialize<List<WhatIfMove>>(movesJson, Json)!;
        await ProductionStore.RecordRevisionAsync(s, $"what-if {id} applied by {s.Caller.Actor}", placed, 0, 0, 0,
            [.. moves.Select(m => new PlanMove(m.JobId, m.Order, m.Operation, m.FromMachineId, m.ToMachineId, 0, 0, (long)(m.ShiftMinutes * 60_000), m.Why))]);
        await s.ExecuteAsync("UPDATE what_if_plans SET applied_at = @Now WHERE tenant_id = @Tenant AND id = @id", new { s.Now, s.Tenant, id });
        await s.AuditAsync("apply", "what_if", id, $"applied what-if {id}: {created.Count} rush orders, {stopped.Count} machines stopped, {overtimeLines.Count} overtime windows, {placed} jobs placed");
        return new WhatIfApplied(id, created, placed, stopped, overtimeLines);
    }

    /// <summary>The re-plan that changed the plan, if one was recorded since; else what kind of change it was.</summary>
    private static async Task<string> WhyChangedAsync(Session s, long since)
    {
        var revisions = await s.QueryAsync<(long PlannedAt, string Reason, long Moved)>(
            "SELECT planned_at, reason, moved FROM plan_revisions WHERE tenant_id = @Tenant AND planned_at >= @since ORDER BY planned_at DESC, id DESC LIMIT 1",
            new { s.Tenant, since });
        return revisions is [var r]
            ? $"re-planned at {At(r.PlannedAt)} because of {r.Reason}, moving {r.Moved} jobs"
            : "an order was added, released, amended, cancelled or completed, or a job was started, since";
    }

    /// <summary>A planned stop of the machine from now, in its site's calendar: what keeps later re-plans off it.</summary>
    private static async Task StopAsync(Session s, long machineId, long until, long whatIf)
    {
        var siteId = await s.QueryOneAsync<long?>(
            "SELECT a.site_id FROM machines m JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id WHERE m.tenant_id = @Tenant AND m.id = @machineId",
            new { s.Tenant, machineId }) ?? throw ApiProblem.Conflict($"Machine {machineId} was deleted since the what-if was asked.");
        var calendar = (await SiteCalendars.GetAsync(s, siteId)).Calendar;
        var stop = new PlannedStopInput(At(s.Now), At(until), machineId, $"removed by what-if {whatIf}");
        await SiteCalendars.PutAsync(s, siteId, new CalendarInput(
            [.. calendar.Shifts.Select(x => new ShiftInput(x.Name, [.. x.Days], x.Start, x.End, [.. x.Breaks.Select(b => new BreakInput(b.Start, b.End))]))],
            [.. calendar.Holidays],
            [.. calendar.PlannedStops.Select(p => new PlannedStopInput(p.From, p.To, p.MachineId, p.Reason)), stop]));
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
