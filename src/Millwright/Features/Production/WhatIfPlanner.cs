using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Production;

/// <summary>
/// Plans a what-if beside the plan being followed without touching it (docs/production.md, What-if plans). Rush
/// orders are created and released through <see cref="Orders"/> in a transaction that is rolled back once the
/// plan's inputs are read, so they get exactly the jobs and checks a real order gets; removed machines leave the
/// machine list; overtime opens the site's calendar for one line. The scenario is solved like a re-plan (same
/// time limit, change penalty and frozen horizon), and so, at the same time, is the situation as it is without the
/// changes: the answer compares the scenario with the followed plan and with that fresh re-plan, so that a gain the
/// scheduler would find anyway is not taken for the scenario's. The scenario is kept, with a fingerprint of the
/// followed plan, so that <see cref="WhatIfApply"/> can refuse it when the plan changed meanwhile.
/// </summary>
internal sealed class WhatIfPlanner(IDatabase database, TimeProvider clock, ProductionOptions options, IEnumerable<IMachineReservations> reservations)
{
    public const int MaxChanges = 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<WhatIfDto> AskAsync(Caller caller, WhatIfInput input, CancellationToken ct)
    {
        var removed = (input.RemoveMachines ?? []).Distinct().ToHashSet();
        var rush = input.RushOrders ?? [];
        var overtimeInput = input.Overtime ?? [];
        if (removed.Count + rush.Count + overtimeInput.Count == 0 || removed.Count + rush.Count + overtimeInput.Count > MaxChanges)
        {
            throw ApiProblem.Invalid("removeMachines", $"name 1..{MaxChanges} changes in all: machines to remove, rush orders, overtime");
        }

        List<PlanOrder> orders;
        List<PlanMachine> machines;
        PlanningCalendar calendar;
        PlanningCalendar unchanged;
        PlanSettings settings;
        List<MachineReservation> reserved = [];
        var rushIds = new List<long>();
        long now;
        await using (var s = await Session.BeginAsync(database, caller, clock, ct))
        {
            now = s.Now;
            machines = await ProductionStore.WithLoadedProgramsAsync(s, await ProductionStore.MachinesAsync(s, new Dictionary<long, string>()));
            foreach (var id in removed.Where(id => machines.All(m => m.Id != id)))
            {
                throw ApiProblem.Invalid("removeMachines", $"machine {id} is not one of yours that takes planned work");
            }

            var overtime = await OvertimeAsync(s, overtimeInput);
            for (var i = 0; i < rush.Count; i++)
            {
                rushIds.Add(await RushAsync(s, rush[i], i));
            }

            orders = await ProductionStore.OpenOrdersAsync(s);
            calendar = await PlanningCalendar.LoadAsync(s, machines, now, overtime: overtime);
            unchanged = overtime.Count == 0 ? calendar : await PlanningCalendar.LoadAsync(s, machines, now);
            settings = await MachineHistory.LoadAsync(s, machines, new Dictionary<long, string>(), options.FrozenHorizon);
            foreach (var source in reservations)
            {
                reserved.AddRange(await source.LoadAsync(s, now));
            }

            // Disposed without a commit: the rush orders were never there.
        }

        var followedOrders = orders.Where(o => !rushIds.Contains(o.Order.Id)).ToList();
        var stamp = Stamp(followedOrders);
        var scenarioMachines = machines.Where(m => !removed.Contains(m.Id)).ToList();
        var builder = new PlanBuilder(now, orders, scenarioMachines, options.RepairAllowance, calendar, settings, reserved);
        var freshBuilder = new PlanBuilder(now, followedOrders, machines, options.RepairAllowance, unchanged, settings, reserved);
        var solving = Task.Run(() => PlanSearch.Solve(builder, options, ct), ct);
        var freshSolving = Task.Run(() => PlanSearch.Solve(freshBuilder, options, ct), ct);
        var (result, freshResult) = (await solving, await freshSolving);
        var plan = builder.Read(result?.Best.Schedule, result?.Best.WeightedTardiness ?? 0, result?.Best.Makespan ?? 0);
        var fresh = freshBuilder.Read(freshResult?.Best.Schedule, freshResult?.Best.WeightedTardiness ?? 0, freshResult?.Best.Makespan ?? 0);

        var orderOf = orders.SelectMany(o => o.Jobs.Select(j => (j.Id, o.Order))).ToDictionary(x => x.Id, x => x.Order);
        var followed = WhatIfFigures.Followed(followedOrders);
        var until = new[] { followed, plan.Jobs, fresh.Jobs }.Where(j => j.Count > 0).Select(j => j.Max(x => x.End)).DefaultIfEmpty(now).Max();
        var current = WhatIfFigures.Of(followed, orderOf, machines, now, until);
        var replanned = WhatIfFigures.Of(fresh.Jobs, orderOf, machines, now, until);
        var scenario = WhatIfFigures.Of(plan.Jobs, orderOf, machines, now, until);
        var moves = PlanChanges.Compare(followedOrders.SelectMany(o => o.Jobs), plan, scenarioMachines, options.ShiftTolerance)
            .Select(m => new WhatIfMove(m.JobId, m.OrderNumber, m.Operation, m.FromMachineId, m.ToMachineId, Math.Round(m.ShiftMs / 60_000.0, 1),
                removed.Contains(m.FromMachineId) ? $"{machines.First(x => x.Id == m.FromMachineId).Name} is removed in the what-if" : m.Why))
            .ToList();
        var rushOutcomes = rushIds.Select((id, i) => new RushOutcome(i,
            plan.Eta.TryGetValue(id, out var eta) ? DateTimeOffset.FromUnixTimeMilliseconds(eta) : null,
            plan.Eta.TryGetValue(id, out var end) && end > orders.First(o => o.Order.Id == id).Order.DueAt,
            plan.Problems.GetValueOrDefault(id))).ToList();

        // Rush orders' jobs are kept by (rush order, operation): their ids died with the rolled-back transaction.
        var rushSeq = orders.Where(o => rushIds.Contains(o.Order.Id)).SelectMany(o => o.Jobs.Select(j => (j.Id, Rush: rushIds.IndexOf(o.Order.Id), j.Seq)))
            .ToDictionary(x => x.Id, x => (x.Rush, x.Seq));
        var placements = plan.Jobs.Select(j => rushSeq.TryGetValue(j.JobId, out var r)
            ? new WhatIfPlacement(null, r.Rush, r.Seq, j.MachineId, j.Start, j.End, j.SetupMs)
            : new WhatIfPlacement(j.JobId, null, null, j.MachineId, j.Start, j.End, j.SetupMs)).ToList();
        var whatIfId = await SaveAsync(caller, now, stamp, input, placements, moves, ct);
        return new WhatIfDto(whatIfId, DateTimeOffset.FromUnixTimeMilliseconds(now), current, replanned, scenario, moves.Count, moves, rushOutcomes);
    }

    /// <summary>A fingerprint of the followed plan: every open order's terms and every job's status, machine and planned start.</summary>
    public static string Stamp(IEnumerable<PlanOrder> orders)
    {
        var text = new StringBuilder();
        foreach (var (order, jobs) in orders.OrderBy(o => o.Order.Id))
        {
            text.Append(order.Id).Append(':').Append(order.Status).Append(':').Append(order.Quantity).Append(':').Append(order.DueAt).Append(':').Append(order.Priority).Append(';');
            foreach (var job in jobs.OrderBy(j => j.Id))
            {
                text.Append(job.Id).Append(':').Append(job.Status).Append(':').Append(job.MachineId).Append(':').Append(job.PlannedStart).Append(',');
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static async Task<long> RushAsync(Session s, RushOrderInput? input, int index)
    {
        try
        {
            var created = await Orders.CreateAsync(s, new OrderInput(null, "what-if", input?.ItemId, input?.SiteId, input?.Quantity, input?.DueAt, input?.Priority ?? 100, null, false));
            await Orders.ReleaseAsync(s, created.Id);
            return created.Id;
        }
        catch (ApiProblem e)
        {
            throw new ApiProblem(e.Status, "Invalid rush order", $"rushOrders[{index}]: {e.Message}", e.Errors?.ToDictionary(kv => $"rushOrders[{index}].{kv.Key}", kv => kv.Value));
        }
    }

    private static async Task<List<Overtime>> OvertimeAsync(Session s, IReadOnlyList<OvertimeInput?> input)
    {
        var overtime = new List<Overtime>();
        for (var i = 0; i < input.Count; i++)
        {
            var o = input[i];
            if (o?.From is not { } from || o.To is not { } to || to <= from || to - from > TimeSpan.FromDays(7) || to <= DateTimeOffset.FromUnixTimeMilliseconds(s.Now))
            {
                throw ApiProblem.Invalid($"overtime[{i}]", "needs from < to, at most 7 days apart, ending in the future");
            }

            var line = await s.QueryAsync<(long SiteId, long? MachineId)>(
                """
                SELECT a.site_id, m.id FROM lines l JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
                LEFT JOIN machines m ON m.tenant_id = l.tenant_id AND m.line_id = l.id
                WHERE l.tenant_id = @Tenant AND l.id = @LineId
                """, new { s.Tenant, o.LineId });
            if (line.Count == 0)
            {
                throw ApiProblem.Invalid($"overtime[{i}].lineId", $"there is no line {o.LineId}");
            }

            overtime.Add(new Overtime(line[0].SiteId, new Interval(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds()),
                line.Where(l => l.MachineId is not null).Select(l => l.MachineId!.Value).ToHashSet()));
        }

        return overtime;
    }

    private async Task<long> SaveAsync(Caller caller, long now, string stamp, WhatIfInput input, List<WhatIfPlacement> placements, List<WhatIfMove> moves, CancellationToken ct)
    {
        await using var s = await Session.BeginAsync(database, caller, clock, ct);
        await s.ExecuteAsync("DELETE FROM what_if_plans WHERE tenant_id = @Tenant AND asked_at < @before", new { s.Tenant, before = now - (long)WhatIfApply.Kept.TotalMilliseconds });
        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO what_if_plans (tenant_id, asked_at, stamp, scenario, placements, moves)
            VALUES (@Tenant, @now, @stamp, @scenario, @placements, @moves) RETURNING id
            """,
            new { s.Tenant, now, stamp, scenario = JsonSerializer.Serialize(input, Json), placements = JsonSerializer.Serialize(placements, Json), moves = JsonSerializer.Serialize(moves, Json) });
        await s.CommitAsync(ct);
        return id;
    }
}
