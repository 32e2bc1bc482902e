using System.Text.Json;
using Millwright.Api;
using Millwright.Features.Telemetry;

namespace Millwright.Features.Fleet;

/// <summary>
/// The stored allocation: every plan is a revision of the tenant's plan. A new revision plans the open site
/// requests over the profiled fleet; when an earlier revision exists it is a re-plan from the plan in force (its assignments are
/// the previous plan, each request given another machine costs the change penalty), so only what must move moves.
/// </summary>
internal static class AllocationPlans
{
    private const string SelectPlan =
        """
        SELECT id AS Id, revision AS Revision, based_on AS BasedOn, reason AS Reason, status AS Status, method AS Method, total_cost AS TotalCost,
               greedy_cost AS GreedyCost, changes AS Changes, change_penalty AS ChangePenalty, unserved AS Unserved, skipped AS Skipped,
               created_at AS CreatedAt, accepted_at AS AcceptedAt FROM fleet_allocation_plans
        """;

    private const string SelectAssignments =
        """
        SELECT x.id AS Id, x.request_id AS RequestId, r.site AS Site, r.latitude AS SiteLatitude, r.longitude AS SiteLongitude, x.machine_id AS MachineId, m.name AS EquipmentId, x.operator_id AS OperatorId,
               x.operator_name AS OperatorName, x.road_km AS RoadKm, x.transport_cost AS TransportCost, x.rental_cost AS RentalCost, x.moved AS Moved,
               d.id AS SentAs, d.dispatch_status AS DispatchStatus, d.dispatch_detail AS DispatchDetail, d.dispatched_at AS DispatchedAt, d.answered_at AS AnsweredAt
        FROM fleet_plan_assignments x
        JOIN fleet_plan_assignments d ON d.tenant_id = x.tenant_id AND d.id = COALESCE(x.dispatch_of, x.id)
        JOIN fleet_site_requests r ON r.tenant_id = x.tenant_id AND r.id = x.request_id
        JOIN machines m ON m.tenant_id = x.tenant_id AND m.id = x.machine_id
        """;

    public static async Task<IReadOnlyList<AllocationPlanSummaryDto>> ListAsync(Session s) =>
        (await s.QueryAsync<AllocationPlanRow>($"{SelectPlan} WHERE tenant_id = @Tenant ORDER BY revision DESC", new { s.Tenant })).Select(p => p.AsSummary()).ToList();

    public static async Task<AllocationPlanDto> GetAsync(Session s, long id)
    {
        var plan = await s.QueryOneAsync<AllocationPlanRow>($"{SelectPlan} WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id })
            ?? throw ApiProblem.NotFound("allocation plan", id);
        var assignments = await s.QueryAsync<PlannedAssignmentRow>($"{SelectAssignments} WHERE x.tenant_id = @Tenant AND x.plan_id = @id ORDER BY x.request_id", new { s.Tenant, id });
        var releases = await s.QueryAsync<ReleaseRow>(
            """
            SELECT x.id AS Id, x.request_id AS RequestId, r.site AS Site, r.latitude AS SiteLatitude, r.longitude AS SiteLongitude, x.machine_id AS MachineId, m.name AS EquipmentId, x.released_of AS ReleasedOf,
                   x.dispatch_status AS DispatchStatus, x.dispatch_detail AS DispatchDetail, x.dispatched_at AS DispatchedAt, x.answered_at AS AnsweredAt
            FROM fleet_plan_releases x
            JOIN fleet_site_requests r ON r.tenant_id = x.tenant_id AND r.id = x.request_id
            JOIN machines m ON m.tenant_id = x.tenant_id AND m.id = x.machine_id
            WHERE x.tenant_id = @Tenant AND x.plan_id = @id ORDER BY x.id
            """, new { s.Tenant, id });
        return new AllocationPlanDto(plan.Id, (int)plan.Revision, plan.BasedOn, plan.Reason, plan.Status, plan.Method, plan.TotalCost, plan.GreedyCost, (int)plan.Changes,
            plan.ChangePenalty, DateTimeOffset.FromUnixTimeMilliseconds(plan.CreatedAt), plan.AcceptedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
            assignments.Select(a => a.AsDto()).ToList(), JsonSerializer.Deserialize<List<Unserved>>(plan.Unserved, Json) ?? [],
            JsonSerializer.Deserialize<List<SkippedMachine>>(plan.Skipped, Json) ?? [], releases.Select(r => r.AsDto()).ToList());
    }

    /// <summary>Solves and stores the next revision; the latest stored revision, if any, is the plan it starts from.</summary>
    public static async Task<AllocationPlanDto> CreateAsync(Session s, LatestValues latest, AllocationPlanInput input)
    {
        var v = new Validator();
        if (input.ChangePenalty is < 0 or > 1e9)
        {
            v.Add("changePenalty", "0 to 1,000,000,000");
        }

        if (input.RoadFactor is < 1 or > 5)
        {
            v.Add("roadFactor", "1..5");
        }

        if (input.TransportPerKm is < 0 or > 1000)
        {
            v.Add("transportPerKm", "0..1000");
        }

        var reason = input.Reason is null ? null : v.Name("reason", input.Reason);
        var brokenDown = input.BrokenDown ?? [];
        var profiled = (await AllocationProfiles.ListAsync(s)).Select(p => p.MachineId).ToHashSet();
        for (var i = 0; i < brokenDown.Count; i++)
        {
            if (!profiled.Contains(brokenDown[i]))
            {
                v.Add($"brokenDown[{i}]", $"machine {brokenDown[i]} is not an allocated fleet machine of this tenant");
            }
        }

        v.ThrowIfInvalid();
        var requests = (await SiteRequests.ListAsync(s, "open")).Select(r => r.ToModel()).ToList();
        var (machines, skipped) = await AllocationFleet.LoadAsync(s, latest, brokenDown.ToHashSet());
        // The plan in force is the accepted one (its machines were sent); before any is accepted, the latest proposal.
        var last = await s.QueryOneAsync<AllocationPlanRow>(
            $"{SelectPlan} WHERE tenant_id = @Tenant ORDER BY CASE WHEN status = 'accepted' THEN 0 ELSE 1 END, revision DESC LIMIT 1", new { s.Tenant });
        var inForce = last is null ? [] : await s.QueryAsync<(long RequestId, long MachineId, long? OperatorId)>(
            "SELECT request_id, machine_id, operator_id FROM fleet_plan_assignments WHERE tenant_id = @Tenant AND plan_id = @Id", new { s.Tenant, last.Id });
        var previous = last is null ? null : inForce.ToDictionary(a => a.RequestId, a => a.MachineId);
        var costs = new AllocationCosts(input.RoadFactor ?? 1.3, input.TransportPerKm ?? 3.0, last is null ? 0 : input.ChangePenalty ?? 0);
        var operators = (await FleetOperators.ListAsync(s)).ToDictionary(o => o.Id);
        var crew = operators.Values.Select(o => o.ToModel()).ToList();
        var plan = AllocationSolver.Solve(requests, machines, costs, previous: previous, operators: crew);
        // Requests keep their operators where they can, so that an unchanged assignment is not dispatched again.
        plan = plan with
        {
            Assignments = OperatorContinuity.Keep(plan.Assignments, requests, crew,
                inForce.Where(a => a.OperatorId is not null).ToDictionary(a => a.RequestId, a => a.OperatorId!.Value)),
        };
        // The nearest-first baseline ignores operators: it is a cost reference, not a plan.
        var greedy = GreedyAllocation.Solve(requests, machines, costs);
        reason ??= last is null ? "first plan" : brokenDown.Count > 0 ? $"breakdown of {string.Join(", ", brokenDown)}" : "re-plan";
        var revision = (int)await s.ScalarAsync<long>("SELECT COALESCE(MAX(revision), 0) + 1 FROM fleet_allocation_plans WHERE tenant_id = @Tenant", new { s.Tenant });
        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO fleet_allocation_plans (tenant_id, revision, based_on, reason, method, total_cost, greedy_cost, changes, change_penalty, road_factor,
                                                transport_per_km, unserved, skipped, status, created_at)
            VALUES (@Tenant, @revision, @basedOn, @reason, @Method, @total, @greedy, @Changes, @ChangePenalty, @RoadFactor, @TransportPerKm, @unserved, @skipped, 'proposed', @Now)
            RETURNING id
            """, new
            {
                s.Tenant, revision, basedOn = last?.Id, reason, plan.Method, total = Math.Round(plan.TotalCost, 2), greedy = Math.Round(greedy.TotalCost, 2), plan.Changes,
                costs.ChangePenalty, costs.RoadFactor, costs.TransportPerKm, unserved = JsonSerializer.Serialize(plan.Unserved, Json),
                skipped = JsonSerializer.Serialize(skipped, Json), s.Now,
            });
        foreach (var a in plan.Assignments)
        {
            await s.ExecuteAsync(
                """
                INSERT INTO fleet_plan_assignments (tenant_id, plan_id, request_id, machine_id, operator_id, operator_name, road_km, transport_cost, rental_cost, moved, dispatch_status)
                VALUES (@Tenant, @id, @RequestId, @MachineId, @OperatorId, @operatorName, @RoadKm, @TransportCost, @RentalCost, @moved, 'not_sent')
                """, new
                {
                    s.Tenant, id, a.RequestId, a.MachineId, a.OperatorId, operatorName = a.OperatorId is { } o ? operators[o].Name : null, a.RoadKm, a.TransportCost, a.RentalCost,
                    moved = a.Moved ? 1L : 0L,
                });
        }

        await s.AuditAsync("create", "allocation-plan", id, FormattableString.Invariant(
            $"allocation plan revision {revision} ({reason}): {plan.Assignments.Count} of {requests.Count} requests served, total {plan.TotalCost:0.00}, {plan.Changes} changes"));
        return await GetAsync(s, id);
    }

    /// <summary>Accepts the latest revision (the one in force before becomes superseded); its assignments are then dispatched.</summary>
    public static async Task<AllocationPlanDto> AcceptAsync(Session s, long id)
    {
        var plan = await GetAsync(s, id);
        var latest = await s.ScalarAsync<long>("SELECT MAX(revision) FROM fleet_allocation_plans WHERE tenant_id = @Tenant", new { s.Tenant });
        if (plan.Status != "proposed")
        {
            throw ApiProblem.Conflict($"Allocation plan {id} is {plan.Status}; only a proposed plan can be accepted.");
        }

        if (plan.Revision != latest)
        {
            throw ApiProblem.Conflict($"Allocation plan {id} is revision {plan.Revision}, but revision {latest} is newer; accept the latest.");
        }

        await s.ExecuteAsync("UPDATE fleet_allocation_plans SET status = 'superseded' WHERE tenant_id = @Tenant AND status = 'accepted'", new { s.Tenant });
        await s.ExecuteAsync("UPDATE fleet_allocation_plans SET status = 'accepted', accepted_at = @Now WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id, s.Now });
        await s.AuditAsync("accept", "allocation-plan", id, $"allocation plan revision {plan.Revision} accepted");
        return await GetAsync(s, id);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
