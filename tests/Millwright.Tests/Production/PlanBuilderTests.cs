using Millwright.Features.Production;

namespace Millwright.Tests.Production;

/// <summary>How open orders become a shop for the scheduler: held jobs, breakdowns, refusals and unplannable orders.</summary>
public sealed class PlanBuilderTests
{
    private const long Now = 1_800_000_000_000;
    private static readonly TimeSpan Repair = TimeSpan.FromMinutes(30);

    private static readonly PlanMachine MillA = new(1, "mill-a", 10, new HashSet<string> { "milling" }, Available: true);
    private static readonly PlanMachine MillB = new(2, "mill-b", 10, new HashSet<string> { "milling" }, Available: true);
    private static readonly PlanMachine Paint = new(3, "paint", 10, new HashSet<string> { "painting" }, Available: true);

    [Fact]
    public void A_job_a_machine_holds_keeps_that_machine_busy_and_releases_the_next_operation_when_it_ends()
    {
        var mill = Job(1, 0, "milling", JobStatus.Running, machine: 1, quantity: 10, good: 4, unitMs: 30_000);
        var paint = Job(2, 1, "painting", JobStatus.Waiting);
        var other = Job(3, 0, "milling", JobStatus.Waiting);
        var builder = new PlanBuilder(Now, [Order(1, mill, paint), Order(2, other)], [MillA, MillB, Paint], Repair);

        var instance = builder.Instance!;
        Assert.Equal(2, instance.Jobs.Count);
        Assert.Equal(180, instance.Jobs[0].Release);                              // 6 units × 30 s left
        var millA = instance.Jobs[1].Operations[0].Options.Single(o => o.Duration > 0 && instance.Downtime[o.Machine].Count > 0).Machine;
        Assert.Equal(new Scheduling.Model.TimeWindow(0, 180), Assert.Single(instance.Downtime[millA]));
        Assert.Equal(new PlannedJob(1, 1, mill.StartedAt!.Value, Now + 180_000), Assert.Single(builder.Held));
    }

    [Fact]
    public void A_machine_that_is_down_is_planned_only_after_the_repair_allowance()
    {
        var down = MillA with { Available = false };
        var builder = new PlanBuilder(Now, [Order(1, Job(1, 0, "milling", JobStatus.Waiting))], [down, MillB], Repair);

        var instance = builder.Instance!;
        var windows = instance.Downtime.Select(w => w.Count == 0 ? 0 : w[0].End).ToList();
        Assert.Contains(1800, windows);
        Assert.Contains(0, windows);
    }

    [Fact]
    public void Machines_that_refused_a_job_are_not_offered_it_again_and_an_order_nobody_can_run_is_left_out_with_the_reason()
    {
        var refused = Job(1, 0, "milling", JobStatus.Waiting, refusers: "[1,2]");
        var fine = Job(2, 0, "milling", JobStatus.Waiting, refusers: "[1]");
        var builder = new PlanBuilder(Now, [Order(1, refused), Order(2, fine)], [MillA, MillB], Repair);

        Assert.Contains("refused by machines 1, 2", builder.Problems[1], StringComparison.Ordinal);
        var option = Assert.Single(Assert.Single(builder.Instance!.Jobs).Operations[0].Options);
        var plan = builder.Read(new Scheduling.Model.Schedule([[new Scheduling.Model.ScheduledOperation(option.Machine, 0)]]), 0, option.Duration);
        Assert.Equal(2, Assert.Single(plan.Jobs).MachineId);
        Assert.False(plan.Eta.ContainsKey(1));
    }

    [Fact]
    public void A_job_interrupted_after_some_good_units_is_planned_for_the_rest_with_its_setup()
    {
        var job = Job(1, 0, "milling", JobStatus.Waiting, quantity: 10, good: 7, unitMs: 10_000, setupMs: 60_000);
        var builder = new PlanBuilder(Now, [Order(1, job)], [MillA], Repair);

        var op = builder.Instance!.Jobs[0].Operations[0];
        Assert.Equal(30, op.Options[0].Duration);                                             // 3 units × 10 s
        Assert.Equal(60, builder.Instance.Setups!.Get(0, Scheduling.Model.SetupTimes.None, op.SetupFamily));
    }

    [Fact]
    public void A_job_timed_per_machine_takes_each_machines_own_time_and_the_plan_carries_the_chosen_one()
    {
        var job = Job(1, 0, "milling", JobStatus.Waiting, quantity: 9, unitMs: 10_000, setupMs: 0);
        var times = new Dictionary<(long, long), JobTime>
        {
            [(1, MillA.Id)] = new JobTime(20_000, 15_000, 1),   // 20 s + 8 × 15 s
            [(1, MillB.Id)] = new JobTime(30_000, 25_000, 4),   // three runs of up to four: 30 s + 2 × 25 s
        };
        var builder = new PlanBuilder(Now, [Order(1, job)], [MillA, MillB], Repair, times: times);

        var options = builder.Instance!.Jobs[0].Operations[0].Options;
        Assert.Equal([140, 80], options.OrderBy(o => o.Machine).Select(o => o.Duration));
        var onB = options.Single(o => o.Duration == 80).Machine;
        var planned = Assert.Single(builder.Read(new Scheduling.Model.Schedule([[new Scheduling.Model.ScheduledOperation(onB, 0)]]), 0, 80).Jobs);
        Assert.Equal(MillB.Id, planned.MachineId);
        Assert.Equal(Now + 80_000, planned.End);
        Assert.Equal(8_889, planned.UnitMs);                                    // 80 s over 9 units, rounded up
    }

    [Fact]
    public void Two_jobs_of_one_program_in_a_row_on_a_machine_are_set_up_once()
    {
        var first = Job(1, 0, "milling", JobStatus.Waiting, quantity: 2, unitMs: 10_000, setupMs: 60_000);
        var second = Job(2, 0, "milling", JobStatus.Waiting, quantity: 2, unitMs: 10_000, setupMs: 60_000);
        var other = Job(3, 0, "milling", JobStatus.Waiting, quantity: 2, unitMs: 10_000, setupMs: 60_000, program: "O2");
        var builder = new PlanBuilder(Now, [Order(1, first), Order(2, second), Order(3, other)], [MillA], Repair);

        var instance = builder.Instance!;
        Assert.Equal(instance.Jobs[0].Operations[0].SetupFamily, instance.Jobs[1].Operations[0].SetupFamily);
        Assert.NotEqual(instance.Jobs[0].Operations[0].SetupFamily, instance.Jobs[2].Operations[0].SetupFamily);

        // first at 60 (after its setup), second right after it, the other program after a second setup.
        var plan = builder.Read(new Scheduling.Model.Schedule([[new(0, 60)], [new(0, 80)], [new(0, 160)]]), 0, 180);
        var byJob = plan.Jobs.ToDictionary(j => j.JobId);
        Assert.Equal((Now, 60_000L), (byJob[1].Start, byJob[1].SetupMs));
        Assert.Equal((Now + 80_000, 0L), (byJob[2].Start, byJob[2].SetupMs));
        Assert.Equal((Now + 100_000, 60_000L), (byJob[3].Start, byJob[3].SetupMs));
    }

    [Fact]
    public void Thousands_of_programs_on_many_machines_still_make_a_shop()
    {
        var mills = Enumerable.Range(1, 60).Select(m => new PlanMachine(m, $"mill-{m}", 10, new HashSet<string> { "milling" }, Available: true)).ToList();
        var orders = Enumerable.Range(1, 2000).Select(o => Order(o, Job(o, 0, "milling", JobStatus.Waiting, setupMs: 60_000, program: $"P{o}"))).ToList();

        var instance = new PlanBuilder(Now, orders, mills, Repair).Instance!;

        Assert.Equal(2000, instance.Setups!.Families);
        Assert.Equal(60, instance.Setups.Get(0, 5, 6));
    }

    [Fact]
    public void A_machine_starts_from_the_program_it_holds_or_last_finished()
    {
        var held = Job(1, 0, "milling", JobStatus.Running, machine: 1, quantity: 2, unitMs: 10_000, setupMs: 60_000);
        var next = Job(2, 0, "milling", JobStatus.Waiting, quantity: 2, unitMs: 10_000, setupMs: 60_000);
        var millB = MillB with { Last = ("O1", 60_000, 0) };
        var builder = new PlanBuilder(Now, [Order(1, held), Order(2, next)], [MillA, millB], Repair);

        var instance = builder.Instance!;
        var family = instance.Jobs[0].Operations[0].SetupFamily;
        Assert.All(instance.Jobs[0].Operations[0].Options, o => Assert.Equal(0, instance.Setups!.Get(o.Machine, Scheduling.Model.SetupTimes.None, family)));
    }

    private static PlanOrder Order(long id, params JobRow[] jobs) =>
        new(new OrderRow { Id = id, Number = $"SO-{id}", SiteId = 10, Quantity = 10, DueAt = Now + 3_600_000, Priority = 5, Status = OrderStatus.InProgress },
            jobs.Select(j => { j.OrderId = id; return j; }).ToList());

    private static JobRow Job(long id, int seq, string capability, string status, long? machine = null, long quantity = 10, long good = 0,
        long unitMs = 1_000, long setupMs = 0, string? refusers = null, string program = "O1") => new()
    {
        Id = id, Seq = seq, Capability = capability, Status = status, MachineId = machine, Quantity = quantity, Good = good, UnitMs = unitMs, Program = program,
        SetupMs = setupMs, RejectedBy = refusers, StartedAt = status == JobStatus.Running ? Now - 60_000 : null, Operation = $"{seq} op",
    };
}
