using Millwright.Features.Production;
using Millwright.Features.States;
using Millwright.Scheduling.Model;

namespace Millwright.Tests.Production;

/// <summary>Setup families in the plan: the estimate's fallback order, family pairs learned from setups, and sequencing by the matrix.</summary>
public sealed class SetupFamilyPlanTests
{
    private const long Now = 1_800_000_000_000;
    private const long Min = 60_000;
    private static readonly PlanMachine MillA = new(1, "mill-a", 10, new HashSet<string> { "milling" }, Available: true);
    private static readonly PlanMachine MillB = new(2, "mill-b", 10, new HashSet<string> { "milling" }, Available: true);

    [Fact]
    public void The_estimate_falls_back_from_the_program_pair_to_the_learned_family_pair_to_the_matrix_to_the_routing()
    {
        // P1 is filed under red by its program, P2 by its item (100); P3 is blue; P4 has no family. Routing setup: 10 minutes each.
        PlanOrder[] orders = [Order(1, "P1", item: 200), Order(2, "P2", item: 100), Order(3, "P3", item: 201), Order(4, "P4", item: 202)];
        var families = new SetupFamilyPlan(
            new Dictionary<string, string> { ["P1"] = "red", ["P3"] = "blue" }, new Dictionary<long, string> { [100] = "red" },
            new Dictionary<(string, string), long> { [("red", "blue")] = 20 * Min, [("blue", "red")] = 25 * Min, [("red", "red")] = 3 * Min },
            new Dictionary<(long, string, string), long> { [(1, "red", "blue")] = 8 * Min });
        var settings = new PlanSettings(TimeSpan.Zero, null, new Dictionary<(long, string, string), long> { [(1, "P1", "P3")] = 1 * Min }, families);

        var instance = new PlanBuilder(Now, orders, [MillA, MillB], TimeSpan.FromMinutes(30), null, settings).Instance!;

        var setups = instance.Setups!;
        var f = instance.Jobs.Select(j => j.Operations[0].SetupFamily).ToArray();
        var (a, b) = (instance.Jobs[0].Operations[0].Options[0].Machine, instance.Jobs[0].Operations[0].Options[1].Machine);
        Assert.Equal(60, setups.Get(a, f[0], f[2]));      // P1 → P3 learned on mill-a
        Assert.Equal(480, setups.Get(a, f[1], f[2]));     // P2 → P3 never seen: red → blue learned on mill-a
        Assert.Equal(1200, setups.Get(b, f[1], f[2]));    // red → blue on mill-b: the tenant's matrix
        Assert.Equal(1500, setups.Get(a, f[2], f[0]));    // blue → red: the matrix
        Assert.Equal(180, setups.Get(b, f[0], f[1]));     // two red programs: red → red
        Assert.Equal(0, setups.Get(b, f[0], f[0]));       // the same program needs no setup
        Assert.Equal(600, setups.Get(b, f[0], f[3]));     // to a job of no family: the routing's setup
        Assert.Equal(600, setups.Get(b, f[2], f[3]));     // from blue to no family
        Assert.Equal(600, setups.Get(b, f[3], f[0]));     // from no family
        Assert.Equal(600, setups.Get(b, SetupTimes.None, f[0]));
        Assert.True(setups.MaxInto(b, f[0]) >= 1500);     // bounds cover the longest family time into red
    }

    [Fact]
    public void Setups_are_learned_per_family_pair_across_programs_and_the_median_is_kept()
    {
        MachineJob[] jobs =
        [
            new(1, "R1", Now - (200 * Min), Now - (150 * Min), "red"), new(1, "B1", Now - (149 * Min), Now - (100 * Min), "blue"),
            new(1, "R2", Now - (99 * Min), Now - (60 * Min), "red"), new(1, "B2", Now - (59 * Min), Now - (20 * Min), "blue"),
            new(1, "X", Now - (19 * Min), null),
        ];
        StateEpisode[] episodes = [Setup(1, -148, 12), Setup(1, -98, 30), Setup(1, -58, 8), Setup(1, -18, 40)];

        var learned = MachineHistory.FamilyChangeovers(episodes, jobs);

        Assert.Equal(10 * Min, learned[(1, "red", "blue")]);   // R1 → B1 and R2 → B2: two program pairs, one family pair
        Assert.Single(learned);                                 // blue → red once only; into X (no family) is not counted
        Assert.Empty(MachineHistory.Changeovers(episodes, jobs)); // no program pair was seen twice
    }

    [Fact]
    public void The_planner_runs_jobs_of_a_family_together_when_the_matrix_makes_changing_family_dear()
    {
        // Six late orders alternating red and blue, each its own program: without the matrix every order costs one routing setup whatever the sequence.
        var orders = Enumerable.Range(1, 6).Select(i => Order(i, $"P{i}", item: i % 2 == 0 ? 100 : 101, due: Now + Min)).ToArray();
        var families = new SetupFamilyPlan(
            new Dictionary<string, string>(), new Dictionary<long, string> { [100] = "red", [101] = "blue" },
            new Dictionary<(string, string), long>
            {
                [("red", "red")] = Min / 2, [("blue", "blue")] = Min / 2, [("red", "blue")] = 60 * Min, [("blue", "red")] = 60 * Min,
            },
            new Dictionary<(long, string, string), long>());

        var grouped = Plan(orders, new PlanSettings(TimeSpan.Zero, Families: families));
        var plain = Plan(orders, new PlanSettings(TimeSpan.Zero));

        Assert.Equal(1, Changes(grouped.Jobs, orders));
        Assert.Equal((10 * Min) + (4 * Min / 2) + (60 * Min), grouped.Jobs.Sum(j => j.SetupMs));   // the first setup, four within a family, one change
        Assert.Equal(6 * 10 * Min, plain.Jobs.Sum(j => j.SetupMs));
    }

    private static ProductionPlan Plan(PlanOrder[] orders, PlanSettings settings)
    {
        var builder = new PlanBuilder(Now, orders, [MillA], TimeSpan.FromMinutes(30), null, settings);
        var result = PlanSearch.Solve(builder, new ProductionOptions(), CancellationToken.None, iterations: 3000)!;
        return builder.Read(result.Best.Schedule, result.Best.WeightedTardiness, result.Best.Makespan);
    }

    /// <summary>How often the machine switches between the item families (even ids red, odd blue) in the planned sequence.</summary>
    private static int Changes(IEnumerable<PlannedJob> jobs, PlanOrder[] orders)
    {
        var item = orders.ToDictionary(o => o.Jobs[0].Id, o => o.Order.ItemId);
        var sequence = jobs.OrderBy(j => j.Start).Select(j => item[j.JobId]).ToList();
        return sequence.Zip(sequence.Skip(1)).Count(p => p.First != p.Second);
    }

    private static PlanOrder Order(long id, string program, long item, long due = Now + (600 * Min))
    {
        var job = new JobRow
        {
            Id = id, OrderId = id, Seq = 0, Capability = "milling", Status = JobStatus.Waiting, Quantity = 5, UnitMs = 60_000, Program = program,
            SetupMs = 10 * Min, Operation = "mill",
        };
        return new PlanOrder(new OrderRow { Id = id, Number = $"SO-{id}", ItemId = item, SiteId = 10, Quantity = 5, DueAt = due, Priority = 5 }, [job]);
    }

    private static StateEpisode Setup(long machine, long startMin, long minutes) =>
        new(machine, MachineStateNames.Setup, Now + (startMin * Min), Now + ((startMin + minutes) * Min));
}
