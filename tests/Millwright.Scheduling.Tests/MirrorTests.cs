using System.Diagnostics;
using Millwright.Scheduling.Checking;
using Millwright.Scheduling.JobShop;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>
/// The mirrored classic job shop (every job's operations reversed): a schedule read backwards in time is a schedule of
/// the other problem with the same makespan, and a worker searching the mirror hands out schedules of the original.
/// </summary>
public sealed class MirrorTests
{
    [Theory]
    [InlineData("ft10", 1)]
    [InlineData("la16", 2)]
    public void A_schedule_flipped_to_the_mirror_and_back_keeps_its_makespan_and_passes_the_checker(string name, int seed)
    {
        var instance = Instances.Load(name);
        var problem = new JobShopProblem(instance);
        var mirror = new JobShopMirror(problem);
        var start = new JobShopState(problem);
        start.LoadFromKeys(GifflerThompson.Build(problem, new Random(seed)));
        var starts = Array.ConvertAll(start.Head, h => (double)h);

        var mirrored = mirror.ToMirrored(starts);
        var back = mirror.ToOriginal(mirrored);

        var onMirror = ScheduleChecker.Check(mirror.Mirrored.Instance, TabuWorker.Elite(mirror.Mirrored, start.Makespan, mirrored, false).Schedule());
        Assert.True(onMirror.IsValid, string.Join("; ", onMirror.Violations));
        Assert.Equal(start.Makespan, onMirror.Makespan);
        var onOriginal = ScheduleChecker.Check(instance, TabuWorker.Elite(problem, start.Makespan, back, false).Schedule());
        Assert.True(onOriginal.IsValid, string.Join("; ", onOriginal.Violations));
        Assert.Equal(start.Makespan, onOriginal.Makespan);
    }

    [Fact]
    public void A_worker_on_the_mirror_exports_and_offers_schedules_of_the_original_that_check()
    {
        var instance = Instances.Load("la16");
        var problem = new JobShopProblem(instance);
        var incumbent = new Incumbent(Stopwatch.StartNew(), s => new SolverSnapshot(s, ScheduleChecker.Check(instance, s).Makespan, 0, 0, TimeSpan.Zero));
        var worker = new TabuWorker(problem, 5, incumbent, new JobShopMirror(problem));

        worker.Run(20_000, () => false);

        var export = worker.Export();
        var check = ScheduleChecker.Check(instance, export.Schedule());
        Assert.True(check.IsValid, string.Join("; ", check.Violations));
        Assert.Equal(export.Objective, check.Makespan);
        var offered = ScheduleChecker.Check(instance, incumbent.Best!.Schedule);
        Assert.True(offered.IsValid, string.Join("; ", offered.Violations));
        Assert.Equal(export.Objective, offered.Makespan);

        // An import from a forward worker lands in the mirror's terms: a better one becomes this worker's best.
        var forward = new TabuWorker(problem, 6, incumbent);
        forward.Run(20_000, () => false);
        worker.Import(forward.Export());
        Assert.Equal(Math.Min(export.Objective, forward.Export().Objective), worker.Export().Objective);
    }

    [Fact]
    public void A_worker_on_the_mirror_gives_the_same_schedule_twice_for_a_seed_and_budget()
    {
        var instance = Instances.Load("ft10");
        var problem = new JobShopProblem(instance);
        EliteSolution Run()
        {
            var incumbent = new Incumbent(Stopwatch.StartNew(), s => new SolverSnapshot(s, 0, 0, 0, TimeSpan.Zero));
            var worker = new TabuWorker(problem, 3, incumbent, new JobShopMirror(problem));
            worker.Run(30_000, () => false);
            return worker.Export();
        }

        var first = Run();
        var second = Run();

        Assert.Equal(first.Objective, second.Objective);
        Assert.Equal((double[])first.Payload, (double[])second.Payload);
        var check = ScheduleChecker.Check(instance, first.Schedule());
        Assert.True(check.IsValid, string.Join("; ", check.Violations));
        Assert.Equal(first.Objective, check.Makespan);
    }
}
