using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>The change penalty: departing from the followed plan costs, so a re-plan moves work only when the gain pays.</summary>
public sealed class ChangePenaltyTests
{
    // Two jobs on machine 0 in the followed plan; the second is 50 late there and on time on machine 1 (swapping them makes the first 100 late).
    private static readonly ShopInstance Shop = new(2,
    [
        new ShopJob([new ShopOperation([new MachineOption(0, 100), new MachineOption(1, 100)])], Due: 100, Weight: 1),
        new ShopJob([new ShopOperation([new MachineOption(0, 100), new MachineOption(1, 100)])], Due: 150, Weight: 1),
    ]);

    private static readonly IReadOnlyList<IReadOnlyList<ScheduledOperation?>> Followed = [[new ScheduledOperation(0, 0)], [new ScheduledOperation(0, 100)]];

    [Fact]
    public void A_move_that_costs_more_than_the_lateness_it_saves_is_not_made()
    {
        var result = Solve(new ChangePenalty(MachineChange: 60, ShiftRate: 0, Tolerance: 0));

        Assert.Equal(0, result.Best.Schedule.Jobs[1][0].Machine);
        Assert.Equal(50, result.Best.WeightedTardiness);
        Assert.Equal(50, result.Best.Objective);
    }

    [Fact]
    public void A_move_that_saves_more_lateness_than_it_costs_is_made_and_its_cost_is_in_the_objective()
    {
        var result = Solve(new ChangePenalty(MachineChange: 40, ShiftRate: 0, Tolerance: 0));

        Assert.Equal(0, result.Best.WeightedTardiness);
        Assert.Equal(40, result.Best.Objective);
        Assert.NotEqual(result.Best.Schedule.Jobs[0][0].Machine, result.Best.Schedule.Jobs[1][0].Machine);
    }

    [Fact]
    public void Without_a_penalty_the_search_takes_any_gain()
    {
        var result = Solve(null);

        Assert.Equal(0, result.Best.Objective);
    }

    [Fact]
    public void Machine_changes_cost_the_job_weight_times_the_move_cost_and_shifts_cost_only_beyond_the_tolerance()
    {
        var penalty = new ChangePenalty(MachineChange: 300, ShiftRate: 0.1, Tolerance: 60);

        Assert.Equal(0, penalty.Of(weight: 5, machine: 2, start: 1000, referenceMachine: 2, referenceStart: 1060));
        Assert.Equal(5 * 300, penalty.Of(5, 1, 1000, 2, 1000));
        Assert.Equal((long)Math.Round(5 * 0.1 * 40), penalty.Of(5, 2, 900, 2, 1000));         // 100 earlier, 40 beyond the tolerance
        Assert.Equal(1500 + 20, penalty.Of(5, 1, 1100, 2, 1000));
        var schedule = new Schedule([[new ScheduledOperation(1, 0)], [new ScheduledOperation(0, 100)]]);
        Assert.Equal(300, penalty.Of(Shop, schedule, Followed));
    }

    [Fact]
    public void Observed_changeovers_replace_the_compact_rule_for_their_pair_only()
    {
        var setups = SetupTimes.SkipWhenSame(2, [30, 50], [true, true], [SetupTimes.None, 0])
            .WithObserved([(Machine: 0, From: 0, To: 1, Time: 7), (1, 1, 1, 90)]);

        Assert.Equal(7, setups.Get(0, 0, 1));
        Assert.Equal(50, setups.Get(1, 0, 1));            // other machine: the rule
        Assert.Equal(30, setups.Get(0, 1, 0));            // other direction: the rule
        Assert.Equal(90, setups.Get(1, 1, 1));            // observed even where the rule says none
        Assert.Equal(7, setups.Get(0, 0, 1));
        Assert.Equal(50, setups.MaxInto(0, 1));
        Assert.Equal(90, setups.MaxInto(1, 1));
        Assert.Throws<SchedulingInputException>(() => setups.WithObserved([(5, 0, 0, 1)]));
    }

    private static SolveResult Solve(ChangePenalty? penalty) => SchedulingSolver.Solve(Shop, new SolverOptions
    {
        TimeLimit = null, IterationLimit = 3000, Workers = 1, Objective = Objective.TotalWeightedTardiness, StartFrom = Followed, Changes = penalty,
    });
}
