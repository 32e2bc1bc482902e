using Millwright.Features.Production;
using Millwright.Features.States;
using Millwright.Scheduling.Model;

namespace Millwright.Tests.Production;

/// <summary>Repair times and changeovers learned from each machine's state history, and how the plan uses them.</summary>
public sealed class MachineHistoryTests
{
    private const long Now = 1_800_000_000_000;
    private const long Min = 60_000;
    private static readonly PlanMachine MillA = new(1, "mill-a", 10, new HashSet<string> { "milling" }, Available: true);
    private static readonly PlanMachine MillB = new(2, "mill-b", 10, new HashSet<string> { "milling" }, Available: true);

    [Fact]
    public void The_expected_repair_is_the_mean_residual_of_the_machines_own_past_episodes()
    {
        Assert.Equal(40 * Min, MachineHistory.ResidualMs([20 * Min, 40 * Min, 60 * Min], 0));
        Assert.Equal(20 * Min, MachineHistory.ResidualMs([20 * Min, 40 * Min, 60 * Min], 30 * Min));            // only 40 and 60 lasted longer: 10 and 30 left
        Assert.Null(MachineHistory.ResidualMs([20 * Min, 40 * Min], 0));                                      // too little history
        Assert.Null(MachineHistory.ResidualMs([20 * Min, 40 * Min, 60 * Min], 90 * Min));                      // down longer than ever before
    }

    [Fact]
    public void Only_a_machine_that_is_down_now_gets_a_learned_repair_from_episodes_of_its_current_state()
    {
        StateEpisode[] episodes =
        [
            Down(1, -300, 10), Down(1, -200, 20), Down(1, -100, 30), new(1, MachineStateNames.Offline, Now - (50 * Min), Now - (45 * Min)),
            new(1, MachineStateNames.Down, Now - (5 * Min), null),
            Down(2, -300, 10), Down(2, -200, 20), Down(2, -100, 30),
        ];

        var repairs = MachineHistory.Repairs(episodes, [MillA with { Available = false }, MillB], new Dictionary<long, string>(), Now);

        Assert.Equal(TimeSpan.FromMinutes(15), Assert.Single(repairs, r => r.Key == 1).Value);   // (10-5, 20-5, 30-5) / 3
        Assert.False(repairs.ContainsKey(2));                                                     // available: nothing to learn
    }

    [Fact]
    public void A_setup_is_paired_with_the_job_before_it_and_the_job_it_prepared_and_the_median_is_kept()
    {
        MachineJob[] jobs =
        [
            new(1, "A", Now - (200 * Min), Now - (150 * Min)), new(1, "B", Now - (149 * Min), Now - (100 * Min)),
            new(1, "A", Now - (99 * Min), Now - (60 * Min)), new(1, "B", Now - (59 * Min), Now - (20 * Min)),
            new(1, "A", Now - (19 * Min), null),
        ];
        StateEpisode[] episodes =
        [
            Setup(1, -148, 12), Setup(1, -98, 30), Setup(1, -58, 8), Setup(1, -18, 40),
        ];

        var learned = MachineHistory.Changeovers(episodes, jobs);

        Assert.Equal(10 * Min, learned[(1, "A", "B")]);                                            // median of 12 and 8
        Assert.Equal(35 * Min, learned[(1, "B", "A")]);                                            // median of 30 and 40
        Assert.Equal(2, learned.Count);
        Assert.Empty(MachineHistory.Changeovers([Setup(1, -148, 12)], jobs));                     // one observation is not enough
    }

    [Fact]
    public void The_plan_uses_a_learned_repair_and_an_observed_changeover_instead_of_the_fixed_guesses()
    {
        var job = new JobRow { Id = 1, OrderId = 1, Seq = 0, Capability = "milling", Status = JobStatus.Waiting, Quantity = 10, UnitMs = 1000, Program = "O2", SetupMs = 10 * Min, Operation = "mill" };
        var order = new PlanOrder(new OrderRow { Id = 1, Number = "SO-1", SiteId = 10, Quantity = 10, DueAt = Now + (60 * Min), Priority = 5 }, [job]);
        var settings = new PlanSettings(TimeSpan.Zero, new Dictionary<long, TimeSpan> { [1] = TimeSpan.FromMinutes(7) },
            new Dictionary<(long, string, string), long> { [(2, "O1", "O2")] = 2 * Min });

        var builder = new PlanBuilder(Now, [order], [MillA with { Available = false }, MillB with { Last = ("O1", 10 * Min, 0) }], TimeSpan.FromMinutes(30), null, settings);

        var instance = builder.Instance!;
        var a = instance.Jobs[0].Operations[0].Options.Select(o => o.Machine).Single(m => instance.Downtime[m].Count > 0);
        var b = 1 - a;
        Assert.Equal(new TimeWindow(0, 420), Assert.Single(instance.Downtime[a]));                // 7 minutes, not 30
        var family = instance.Jobs[0].Operations[0].SetupFamily;
        Assert.Equal(120, instance.Setups!.Get(b, SetupTimes.None, family));                       // observed O1 → O2 on mill-b
        Assert.Equal(600, instance.Setups.Get(a, SetupTimes.None, family));                        // the routing's setup elsewhere
    }

    private static StateEpisode Down(long machine, long startMin, long minutes) =>
        new(machine, MachineStateNames.Down, Now + (startMin * Min), Now + ((startMin + minutes) * Min));

    private static StateEpisode Setup(long machine, long startMin, long minutes) =>
        new(machine, MachineStateNames.Setup, Now + (startMin * Min), Now + ((startMin + minutes) * Min));
}
