using Millwright.Scheduling.JobShop;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>The classic tabu search's TS/PR parts: the distance between solutions, the diverse population, path relinking.</summary>
public sealed class DiversePopulationTests
{
    private static JobShopState RandomSolution(JobShopProblem problem, Random random)
    {
        var state = new JobShopState(problem);
        state.LoadFromKeys(GifflerThompson.Build(problem, random));
        return state;
    }

    /// <summary>A copy of <paramref name="start"/> after <paramref name="moves"/> random critical moves: a near neighbour.</summary>
    private static JobShopState Neighbour(JobShopProblem problem, JobShopState start, int moves, Random random)
    {
        var state = new JobShopState(problem);
        state.CopyFrom(start);
        var neighbourhood = new CriticalNeighbourhood(problem);
        for (var k = 0; k < moves; k++)
        {
            neighbourhood.Build(state, random);
            var c = random.Next(neighbourhood.Count);
            state.Move(neighbourhood.Machine[c], neighbourhood.From[c], neighbourhood.To[c]);
            Assert.True(state.Evaluate());
        }

        return state;
    }

    private static int NearestDistance(DiversePopulation population)
    {
        var nearest = int.MaxValue;
        for (var i = 0; i < population.Count; i++)
        {
            for (var j = i + 1; j < population.Count; j++)
            {
                nearest = Math.Min(nearest, DiversePopulation.Distance(population[i].Sequence, population[j].Sequence));
            }
        }

        return nearest;
    }

    [Fact]
    public void The_distance_counts_the_machine_positions_holding_different_operations()
    {
        var problem = new JobShopProblem(Instances.Load("ft06"));
        var a = RandomSolution(problem, new Random(1));
        var b = new JobShopState(problem);
        b.CopyFrom(a);
        var machine = problem.Machine[0];
        var (first, last) = (0, b.Sequence[machine].Length - 1);

        Assert.Equal(0, DiversePopulation.Distance(a.Sequence, b.Sequence));
        // The last operation moved to the front shifts every other one by a place: all positions of that machine differ.
        b.Move(machine, last, first);
        Assert.Equal(b.Sequence[machine].Length, DiversePopulation.Distance(a.Sequence, b.Sequence));
        Assert.Equal(DiversePopulation.Distance(b.Sequence, a.Sequence), DiversePopulation.Distance(a.Sequence, b.Sequence));
        b.Move(machine, first, last);
        (b.Sequence[machine][0], b.Sequence[machine][1]) = (b.Sequence[machine][1], b.Sequence[machine][0]);
        Assert.Equal(2, DiversePopulation.Distance(a.Sequence, b.Sequence));
    }

    [Fact]
    public void A_copy_of_a_member_is_refused_and_the_best_member_never_leaves()
    {
        var problem = new JobShopProblem(Instances.Load("la16"));
        var random = new Random(3);
        var population = new DiversePopulation(4);
        var best = int.MaxValue;
        for (var i = 0; i < 60; i++)
        {
            var solution = RandomSolution(problem, random);
            best = Math.Min(best, solution.Makespan);
            population.Add(solution);
            Assert.False(population.Add(solution));
            Assert.Equal(best, population[population.BestIndex()].Makespan);
            Assert.True(population.Count <= 4);
        }

        Assert.Equal(4, population.Count);
    }

    [Fact]
    public void The_population_keeps_solutions_apart_where_keeping_the_best_makespans_would_keep_near_copies()
    {
        // Many near neighbours of a few good solutions, as a tabu search's restarts hand over: the best makespans alone
        // would fill the population with copies of one valley; the goodness score keeps the valleys apart.
        var problem = new JobShopProblem(Instances.Load("la16"));
        var random = new Random(5);
        var offered = new List<JobShopState>();
        for (var valley = 0; valley < 4; valley++)
        {
            var centre = RandomSolution(problem, random);
            offered.Add(centre);
            for (var k = 0; k < 15; k++)
            {
                offered.Add(Neighbour(problem, centre, 1 + random.Next(3), random));
            }
        }

        var diverse = new DiversePopulation(6);
        foreach (var solution in offered)
        {
            diverse.Add(solution);
        }

        var byMakespan = new DiversePopulation(int.MaxValue);
        foreach (var solution in offered.OrderBy(s => s.Makespan).Take(6))
        {
            byMakespan.Add(solution);
        }

        Assert.Equal(6, diverse.Count);
        Assert.Equal(offered.Min(s => s.Makespan), diverse[diverse.BestIndex()].Makespan);
        Assert.True(NearestDistance(diverse) > NearestDistance(byMakespan),
            $"nearest members {NearestDistance(diverse)} apart, against {NearestDistance(byMakespan)} when kept by makespan");
    }

    [Fact]
    public void A_relinked_solution_keeps_the_margin_from_both_ends_and_its_makespan_is_its_own()
    {
        var problem = new JobShopProblem(Instances.Load("la16"));
        var random = new Random(7);
        var relinking = new PathRelinking(problem);
        for (var trial = 0; trial < 20; trial++)
        {
            var from = RandomSolution(problem, random);
            var guide = RandomSolution(problem, random);
            var fromOrders = from.Sequence.Select(s => (int[])s.Clone()).ToArray();
            var total = DiversePopulation.Distance(from.Sequence, guide.Sequence);
            var current = new JobShopState(problem);
            current.CopyFrom(from);

            Assert.True(relinking.Relink(current, fromOrders, guide.Sequence, random));

            var margin = (int)Math.Ceiling(total * PathRelinking.Margin);
            Assert.True(DiversePopulation.Distance(current.Sequence, fromOrders) >= margin);
            Assert.True(DiversePopulation.Distance(current.Sequence, guide.Sequence) >= margin);
            Assert.InRange(relinking.Steps, 1, total);
            var fresh = new JobShopState(problem);
            fresh.LoadSequences(current.Sequence);
            Assert.Equal(fresh.Makespan, current.Makespan);
        }
    }

    [Fact]
    public void Two_solutions_too_close_to_relink_are_left_as_they_are()
    {
        var problem = new JobShopProblem(Instances.Load("la16"));
        var from = RandomSolution(problem, new Random(9));
        var current = new JobShopState(problem);
        current.CopyFrom(from);
        var orders = from.Sequence.Select(s => (int[])s.Clone()).ToArray();

        Assert.False(new PathRelinking(problem).Relink(current, orders, from.Sequence, new Random(1)));
        Assert.Equal(0, DiversePopulation.Distance(current.Sequence, orders));
        Assert.Equal(from.Makespan, current.Makespan);
    }

    [Fact]
    public void A_run_with_a_population_relinks_and_stays_repeatable_for_a_seed()
    {
        var problem = new JobShopProblem(Instances.Load("la16"));
        TabuWorker Run()
        {
            var incumbent = new Incumbent(System.Diagnostics.Stopwatch.StartNew(), s => new SolverSnapshot(s, 0, 0, 0, TimeSpan.Zero));
            var worker = new TabuWorker(problem, 7, incumbent, populationSize: 4);
            worker.Run(300_000, () => false);
            return worker;
        }

        var first = Run();
        var second = Run();

        Assert.True(first.Relinks > 0 || first.Optimal, "no relinking in the run");
        Assert.Equal(first.Relinks, second.Relinks);
        Assert.Equal(first.Export().Objective, second.Export().Objective);
        Assert.Equal((double[])first.Export().Payload, (double[])second.Export().Payload);
    }
}
