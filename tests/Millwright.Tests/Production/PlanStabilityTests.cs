using Millwright.Features.Production;
using Millwright.Scheduling.Model;

namespace Millwright.Tests.Production;

/// <summary>Plans that people can follow: the frozen horizon, the change report, and the re-plan search with a change penalty.</summary>
public sealed class PlanStabilityTests
{
    private const long Now = 1_800_000_000_000;
    private const long Min = 60_000;
    private static readonly TimeSpan Repair = TimeSpan.FromMinutes(30);
    private static readonly PlanSettings Frozen30 = new(TimeSpan.FromMinutes(30));

    private static readonly PlanMachine MillA = new(1, "mill-a", 10, new HashSet<string> { "milling" }, Available: true);
    private static readonly PlanMachine MillB = new(2, "mill-b", 10, new HashSet<string> { "milling" }, Available: true);

    [Fact]
    public void A_waiting_job_planned_to_start_within_the_frozen_horizon_keeps_its_machine_and_start()
    {
        var soon = Planned(Job(1, 0), machine: 1, start: Now + (5 * Min));
        var later = Planned(Job(2, 0), machine: 1, start: Now + (45 * Min));
        var builder = new PlanBuilder(Now, [Order(1, soon), Order(2, later)], [MillA, MillB], Repair, null, Frozen30);

        var frozen = Assert.Single(builder.Frozen);
        Assert.Equal((1L, 1L, Now + (5 * Min)), (frozen.JobId, frozen.MachineId, frozen.Start));
        Assert.Equal(Now + (5 * Min) + 10_000, frozen.End);                       // 10 units × 1 s
        var rest = Assert.Single(builder.Instance!.Jobs);                          // only the later job is the scheduler's
        Assert.Equal("SO-2", rest.Name);
        Assert.Contains(builder.Instance.Downtime.SelectMany(w => w), w => w == new TimeWindow(300, 310));
        Assert.Contains(builder.Read(null, 0, 0).Jobs, j => j.JobId == 1 && j.Start == Now + (5 * Min));
    }

    [Fact]
    public void A_frozen_job_whose_machine_broke_down_is_planned_again_and_so_is_the_rest_of_its_order()
    {
        var soon = Planned(Job(1, 0), machine: 1, start: Now + (5 * Min));
        var next = Planned(Job(2, 1), machine: 2, start: Now + (6 * Min));
        var builder = new PlanBuilder(Now, [Order(1, soon, next)], [MillA with { Available = false }, MillB], Repair, null, Frozen30);

        Assert.Empty(builder.Frozen);
        Assert.Equal(2, Assert.Single(builder.Instance!.Jobs).Operations.Count);
        Assert.Null(builder.StartFrom[0][0]);                                     // no reference on the broken machine: moving it is free
        Assert.NotNull(builder.StartFrom[0][1]);
    }

    [Fact]
    public void A_frozen_job_starts_after_the_job_its_machine_still_holds_and_in_the_followed_order()
    {
        var held = Job(1, 0, JobStatus.Running, machine: 1, quantity: 20, unitMs: 60_000);     // 20 min left
        var first = Planned(Job(2, 0), machine: 1, start: Now + (2 * Min));
        var second = Planned(Job(3, 0), machine: 1, start: Now + (3 * Min));
        var builder = new PlanBuilder(Now, [Order(1, held), Order(3, second), Order(2, first)], [MillA, MillB], Repair, null, Frozen30);

        var byJob = builder.Frozen.ToDictionary(j => j.JobId);
        Assert.Equal(Now + (20 * Min), byJob[2].Start);
        Assert.Equal(byJob[2].End, byJob[3].Start);
        Assert.Null(builder.Instance);
    }

    [Fact]
    public void The_change_report_names_jobs_moved_to_another_machine_or_shifted_beyond_the_tolerance_and_why()
    {
        var moved = Planned(Job(1, 0), machine: 1, start: Now);
        var refused = Planned(Job(2, 0, refusers: "[1]"), machine: 1, start: Now);
        var shifted = Planned(Job(3, 0), machine: 2, start: Now);
        var nudged = Planned(Job(4, 0), machine: 2, start: Now);
        var plan = new ProductionPlan(
            [new PlannedJob(1, 2, Now, Now + Min), new PlannedJob(2, 2, Now, Now + Min), new PlannedJob(3, 2, Now + (40 * Min), Now + (41 * Min)), new PlannedJob(4, 2, Now + (5 * Min), Now + (6 * Min))],
            new Dictionary<long, long>(), new Dictionary<long, string>(), 0, 0);

        var moves = PlanChanges.Compare([moved, refused, shifted, nudged], plan, [MillA with { Available = false }, MillB], TimeSpan.FromMinutes(15)).ToDictionary(m => m.JobId);

        Assert.Equal(3, moves.Count);
        Assert.Equal((1L, 2L, "mill-a is down or offline"), (moves[1].FromMachineId, moves[1].ToMachineId, moves[1].Why));
        Assert.Equal("mill-a is down or offline", moves[2].Why);                 // down comes first as the reason
        Assert.Equal((40 * Min, "work ahead of it on the machine takes longer or grew"), (moves[3].ShiftMs, moves[3].Why));
        Assert.False(moves.ContainsKey(4));                                      // 5 minutes: within the tolerance
    }

    [Fact]
    public void With_the_change_penalty_a_re_plan_keeps_the_followed_plan_for_a_small_gain_and_without_it_moves()
    {
        // Two orders due in 30 s on mill-a one after the other: moving the second to mill-b saves 10 s × priority 5.
        var a = Planned(Job(1, 0), machine: 1, start: Now);
        var b = Planned(Job(2, 0), machine: 1, start: Now + 10_000);
        PlanOrder[] orders = [Order(1, [a], 30_000), Order(2, [b], 10_000)];
        var stable = new ProductionOptions { FrozenHorizon = TimeSpan.Zero, MoveCost = TimeSpan.FromMinutes(10) };
        var free = stable with { MoveCost = TimeSpan.Zero, ShiftCostPerMinute = TimeSpan.Zero };

        var kept = Replan(orders, stable);
        var moved = Replan(orders, free);

        Assert.Empty(kept);
        Assert.Equal(2, Assert.Single(moved).ToMachineId);
    }

    private static List<PlanMove> Replan(PlanOrder[] orders, ProductionOptions options)
    {
        var builder = new PlanBuilder(Now, orders, [MillA, MillB], Repair, null, new PlanSettings(options.FrozenHorizon));
        var result = PlanSearch.Solve(builder, options, CancellationToken.None, iterations: 2000)!;
        var plan = builder.Read(result.Best.Schedule, result.Best.WeightedTardiness, result.Best.Makespan);
        return PlanChanges.Compare(orders.SelectMany(o => o.Jobs), plan, [MillA, MillB], options.ShiftTolerance);
    }

    private static JobRow Planned(JobRow job, long machine, long start)
    {
        (job.MachineId, job.PlannedStart, job.PlannedSetupMs, job.PlannedEnd) = (machine, start, 0, start + (job.Quantity * job.UnitMs));
        return job;
    }

    private static PlanOrder Order(long id, params JobRow[] jobs) => Order(id, jobs, 3_600_000);

    private static PlanOrder Order(long id, JobRow[] jobs, long dueIn) =>
        new(new OrderRow { Id = id, Number = $"SO-{id}", SiteId = 10, Quantity = 10, DueAt = Now + dueIn, Priority = 5, Status = OrderStatus.InProgress },
            jobs.Select(j => { j.OrderId = id; j.OrderNumber = $"SO-{id}"; return j; }).ToList());

    private static JobRow Job(long id, int seq, string status = JobStatus.Waiting, long? machine = null, long quantity = 10, long unitMs = 1_000, string? refusers = null) => new()
    {
        Id = id, Seq = seq, Capability = "milling", Status = status, MachineId = machine, Quantity = quantity, UnitMs = unitMs, Program = "O1",
        RejectedBy = refusers, StartedAt = status == JobStatus.Running ? Now - 60_000 : null, Operation = $"{seq} op",
    };
}
