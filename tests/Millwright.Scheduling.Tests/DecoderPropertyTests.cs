using Millwright.Scheduling.Checking;
using Millwright.Scheduling.Flexible;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>
/// Random instances with every feature at once (machine choice, sequence-dependent setups, releases, due dates,
/// downtime, zero durations): every order the flexible decoder is given yields a schedule the checker accepts, with the
/// cost the decoder claims, and the solver's results check too.
/// </summary>
public sealed class DecoderPropertyTests
{
    private static ShopInstance RandomInstance(Random random)
    {
        var machines = random.Next(1, 5);
        var families = random.Next(1, 4);
        var jobs = Enumerable.Range(0, random.Next(1, 7)).Select(_ => new ShopJob(
            [.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => new ShopOperation(
                [.. Enumerable.Range(0, machines).OrderBy(_ => random.Next()).Take(random.Next(1, machines + 1)).Select(m => new MachineOption(m, random.Next(0, 9)))],
                random.Next(families)))],
            Release: random.Next(0, 10), Due: random.Next(0, 30), Weight: random.Next(0, 4))).ToList();
        var setups = random.Next(3) == 0 ? null : new SetupTimes(machines, families, (_, _, _) => random.Next(0, 4));
        var downtime = Enumerable.Range(0, machines).Select(_ =>
        {
            var windows = new List<TimeWindow>();
            var at = random.Next(0, 6);
            for (var w = random.Next(0, 3); w > 0; w--)
            {
                var length = random.Next(1, 6);
                windows.Add(new TimeWindow(at, at + length));
                at += length + random.Next(1, 10);
            }

            return (IReadOnlyList<TimeWindow>)windows;
        }).ToList();
        return new ShopInstance(machines, jobs, setups, downtime);
    }

    [Fact]
    public void Every_decoded_order_passes_the_checker_with_the_cost_the_decoder_claims()
    {
        var random = new Random(6);
        for (var n = 0; n < 300; n++)
        {
            var instance = RandomInstance(random);
            var decoder = new FlexibleDecoder(instance);
            var tokens = instance.Jobs.SelectMany((job, j) => Enumerable.Repeat(j, job.Operations.Count)).ToArray();
            var start = new int[decoder.OperationCount];
            for (var trial = 0; trial < 20; trial++)
            {
                var order = tokens.OrderBy(_ => random.Next()).ToArray();
                var choice = instance.Jobs.SelectMany(job => job.Operations.Select(o => random.Next(o.Options.Count))).ToArray();

                var cost = decoder.Decode(order, choice, start, Objective.TotalWeightedTardiness);
                var check = ScheduleChecker.Check(instance, decoder.ToSchedule(choice, start));

                Assert.True(check.IsValid, $"instance {n} trial {trial}: {string.Join("; ", check.Violations)}\n{Dump(instance, decoder.ToSchedule(choice, start))}\norder {string.Join(",", order)}");
                Assert.Equal((check.TotalWeightedTardiness, check.Makespan), (cost.Primary, cost.Secondary));
            }
        }
    }

    [Fact]
    public void The_solver_returns_checked_schedules_on_random_instances_under_both_objectives()
    {
        var random = new Random(7);
        for (var n = 0; n < 40; n++)
        {
            var instance = RandomInstance(random);
            foreach (var objective in new[] { Objective.Makespan, Objective.TotalWeightedTardiness })
            {
                var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = null, IterationLimit = 2_000, SyncInterval = 500, Objective = objective, Seed = n });
                var check = ScheduleChecker.Check(instance, result.Best.Schedule);

                Assert.True(check.IsValid, $"instance {n}, {objective}: {string.Join("; ", check.Violations)}");
                Assert.Equal(objective == Objective.Makespan ? check.Makespan : check.TotalWeightedTardiness, result.Best.Objective);
            }
        }
    }

    private static string Dump(ShopInstance instance, Schedule schedule)
    {
        var lines = new List<string>();
        for (var j = 0; j < instance.Jobs.Count; j++)
        {
            lines.Add($"job {j} release {instance.Jobs[j].Release}: " + string.Join(" | ", schedule.Jobs[j].Select((o, k) =>
                $"m{o.Machine} @{o.Start} d{Schedule.DurationOn(instance, j, k, o.Machine)} f{instance.Jobs[j].Operations[k].SetupFamily}")));
        }

        for (var m = 0; m < instance.MachineCount; m++)
        {
            lines.Add($"machine {m} down: {string.Join(",", instance.Downtime[m])}; setups: " + (instance.Setups is null ? "none" : string.Join(" ",
                Enumerable.Range(-1, instance.Setups.Families + 1).Select(a => string.Join("/", Enumerable.Range(0, instance.Setups.Families).Select(b => instance.Setups.Get(m, a, b)))))));
        }

        return string.Join("\n", lines);
    }
}
