using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Flexible;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>The flexible tabu search's parts: exact move scores, acyclic insertions, checked schedules.</summary>
public sealed class FlexibleTabuTests
{
    [Theory]
    [InlineData("mk01")]
    [InlineData("mt10c1")]
    [InlineData("kacem1")]
    public void Every_scored_move_keeps_the_graph_acyclic_and_gives_exactly_its_score(string name)
    {
        var problem = new FlexibleProblem(Instances.LoadFlexible(name));
        var random = new Random(7);
        var graph = new FlexibleGraph(problem);
        var (choice, sequences) = FlexibleConstruction.Build(problem, random);
        graph.Load(choice, sequences);
        Assert.True(graph.Evaluate());
        var moves = new InsertionMoves(problem);
        var trial = new FlexibleGraph(problem);
        var list = new List<InsertionMove>();
        var checkedMoves = 0;
        for (var step = 0; step < 40; step++)
        {
            list.Clear();
            moves.Prepare(graph);
            for (var op = 0; op < problem.Count; op++)
            {
                if (graph.Head[op] + graph.Duration[op] + graph.Tail[op] == graph.Makespan)
                {
                    moves.Collect(graph, op, list);
                }
            }

            Assert.NotEmpty(list);
            foreach (var move in list.Where((_, i) => i % 3 == step % 3))
            {
                trial.CopyFrom(graph);
                trial.Remove(move.Op);
                trial.Insert(move.Op, move.Option, move.After);
                Assert.True(trial.Evaluate(), $"move {move} made a cycle");
                Assert.Equal(move.Makespan, trial.Makespan);
                checkedMoves++;
            }

            var chosen = list[random.Next(list.Count)];
            graph.Remove(chosen.Op);
            graph.Insert(chosen.Op, chosen.Option, chosen.After);
            Assert.True(graph.Evaluate());
        }

        Assert.True(checkedMoves > 100);
    }

    [Fact]
    public void The_search_reaches_the_optimum_of_kacem1_and_its_schedule_checks()
    {
        var instance = Instances.LoadFlexible("kacem1");

        var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = null, IterationLimit = 5_000, SyncInterval = 1_000, Seed = 3 });

        Assert.Equal(11, result.Best.Makespan);
        Assert.Equal(StopReason.Optimal, result.Reason);
        var check = ScheduleChecker.Check(instance, result.Best.Schedule);
        Assert.True(check.IsValid, string.Join("; ", check.Violations));
        Assert.Equal(11, check.Makespan);
    }

    [Fact]
    public void The_same_seed_and_iteration_budget_give_the_same_schedule()
    {
        var instance = Instances.LoadFlexible("mk01");
        var options = new SolverOptions { TimeLimit = null, IterationLimit = 3_000, SyncInterval = 1_000, Seed = 5 };

        var a = SchedulingSolver.Solve(instance, options);
        var b = SchedulingSolver.Solve(instance, options);

        Assert.Equal(a.Best.Makespan, b.Best.Makespan);
        Assert.Equal(a.Best.Schedule.Jobs.SelectMany(j => j), b.Best.Schedule.Jobs.SelectMany(j => j));
    }
}
