using System.Diagnostics;
using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Flexible;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Parsing;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>
/// CP-SAT beside the flexible tabu search: proven bounds, proofs of optimality on small instances, and polishing that
/// never worsens a schedule. Every schedule goes through both independent checkers (the model's and the printed
/// solution's against the file text).
/// </summary>
public sealed class CpSatTests
{
    [Theory]
    [InlineData("kacem1", 11)]
    [InlineData("kacem2", 11)]
    [InlineData("fattahi15", 514)]
    public void A_small_instance_is_proven_optimal_at_its_known_optimum(string name, int optimum)
    {
        var instance = Instances.LoadFlexible(name);

        // The proof ends the run within a second or two on a free machine; the generous share is for a loaded one
        // (the whole suite runs classes side by side).
        var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = TimeSpan.FromSeconds(60), CpSatBoundShare = 0.5, Workers = 2 });

        Assert.Equal(StopReason.Optimal, result.Reason);
        Assert.Equal(optimum, result.Best.Makespan);
        Assert.Equal(optimum, result.LowerBound);
        AssertChecks(name, instance, result.Best);
    }

    [Fact]
    public void The_cp_sat_bound_is_at_least_the_simple_bound_and_never_above_the_best_known_makespan()
    {
        var instance = Instances.LoadFlexible("mt10c1");
        var problem = new FlexibleProblem(instance);

        var outcome = FlexibleCpSat.Solve(problem, TimeSpan.FromSeconds(2), 2, 1, CancellationToken.None);

        Assert.InRange(outcome.Bound, problem.LowerBound, 927); // mt10c1's best known makespan (bks.json)
        Assert.InRange(outcome.Makespan, outcome.Bound, int.MaxValue);
    }

    [Theory]
    [InlineData("mk01", 1)]
    [InlineData("mk01", 2)]
    [InlineData("mt10c1", 3)]
    public void Polishing_never_worsens_a_schedule_and_every_result_checks(string name, int seed)
    {
        var instance = Instances.LoadFlexible(name);
        var problem = new FlexibleProblem(instance);
        var (choice, sequences) = FlexibleConstruction.Build(problem, new Random(seed));
        var graph = new FlexibleGraph(problem);
        graph.Load(choice, sequences);
        Assert.True(graph.Evaluate());
        var polisher = new FlexiblePolisher(problem, 2, seed);
        var makespan = graph.Makespan;

        // Three bursts in a row, each from the last one's result, as the driver alternates them with the tabu search.
        for (var burst = 0; burst < 3; burst++)
        {
            (var polished, choice, sequences) = polisher.Polish(choice, sequences, TimeSpan.FromSeconds(1), CancellationToken.None);

            Assert.True(polished <= makespan, $"burst {burst}: {polished} after {makespan}");
            graph.Load(choice, sequences);
            Assert.True(graph.Evaluate());
            Assert.Equal(polished, graph.Makespan);
            AssertChecks(name, instance, new SolverSnapshot(graph.ToSchedule(), polished, polished, 0, TimeSpan.Zero));
            makespan = polished;
        }

        Assert.True(polisher.Steps > 0);
    }

    [Fact]
    public void Polishing_a_random_start_of_mk01_improves_it()
    {
        var problem = new FlexibleProblem(Instances.LoadFlexible("mk01"));
        var (choice, sequences) = FlexibleConstruction.Build(problem, new Random(4));
        var graph = new FlexibleGraph(problem);
        graph.Load(choice, sequences);
        graph.Evaluate();

        var (polished, _, _) = new FlexiblePolisher(problem, 2, 4).Polish(choice, sequences, TimeSpan.FromSeconds(8), CancellationToken.None);

        Assert.True(polished < graph.Makespan, $"{polished} after {graph.Makespan}");
    }

    [Fact]
    public void A_run_with_cp_sat_keeps_its_time_limit_and_its_schedule_checks()
    {
        var instance = Instances.LoadFlexible("mt10c1");
        var clock = Stopwatch.StartNew();

        var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = TimeSpan.FromSeconds(4), Workers = 2 });

        // CP-SAT stops within a few tens of milliseconds of its limit; the rest is the driver's last epoch.
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.InRange(result.Best.Makespan, result.LowerBound, long.MaxValue);
        Assert.InRange(result.LowerBound, 0, 927);
        AssertChecks("mt10c1", instance, result.Best);
    }

    [Fact]
    public void Without_cp_sat_the_bound_is_the_simple_one()
    {
        var instance = Instances.LoadFlexible("mk01");

        var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = TimeSpan.FromSeconds(1), UseCpSat = false });

        Assert.Equal(BoundSource.Simple, result.BoundSource);
        Assert.Equal(new FlexibleProblem(instance).LowerBound, result.LowerBound);
    }

    private static void AssertChecks(string name, ShopInstance instance, SolverSnapshot best)
    {
        var model = ScheduleChecker.Check(instance, best.Schedule);
        Assert.True(model.IsValid, string.Join("; ", model.Violations));
        Assert.Equal(best.Makespan, model.Makespan);
        var printed = FlexibleSolutionChecker.Check(File.ReadAllText(Instances.FlexiblePath(name)), SolutionText.Write(best.Schedule, best.Makespan, InstanceFormat.Fjsp));
        Assert.True(printed.IsValid, string.Join("; ", printed.Violations));
        Assert.Equal(best.Makespan, printed.Makespan);
    }
}
