using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>The compact setup form: a family's own time, none when a reusable family follows itself or is already loaded.</summary>
public sealed class SetupTimesTests
{
    [Fact]
    public void Skip_when_same_charges_the_family_time_except_after_itself_or_when_loaded()
    {
        var setups = SetupTimes.SkipWhenSame(2, [30, 50, 70], [true, true, false], [1, SetupTimes.None]);

        Assert.Equal(30, setups.Get(0, 1, 0));
        Assert.Equal(0, setups.Get(0, 0, 0));
        Assert.Equal(70, setups.Get(0, 2, 2));                 // not reusable: set up every time
        Assert.Equal(0, setups.Get(0, SetupTimes.None, 1));    // machine 0 has family 1 loaded
        Assert.Equal(50, setups.Get(1, SetupTimes.None, 1));
        Assert.Equal(50, setups.MaxInto(0, 1));
    }

    [Fact]
    public void Bad_compact_setups_are_refused_with_the_reason()
    {
        Assert.Contains("0..", Assert.Throws<SchedulingInputException>(() => SetupTimes.SkipWhenSame(1, [-1], [true], [SetupTimes.None])).Message, StringComparison.Ordinal);
        Assert.Contains("loaded family", Assert.Throws<SchedulingInputException>(() => SetupTimes.SkipWhenSame(1, [5], [true], [3])).Message, StringComparison.Ordinal);
        Assert.Throws<SchedulingInputException>(() => SetupTimes.SkipWhenSame(2, [5], [true], [SetupTimes.None]));
    }

    [Fact]
    public void Group_times_come_after_observed_pairs_and_reuse_and_before_the_family_time()
    {
        // Families 0 and 1 in group 0, family 2 in group 1, family 3 in none; group 0 → 1 learned on machine 1.
        var setups = SetupTimes.SkipWhenSame(2, [30, 50, 70, 90], [true, true, true, true], [SetupTimes.None, 2])
            .WithGroups([0, 0, 1, SetupTimes.None], 2, new Dictionary<(int, int), int> { [(0, 0)] = 5, [(0, 1)] = 200, [(1, 0)] = 150 }, [(1, 0, 1, 40)])
            .WithObserved([(0, 0, 2, 7)]);

        Assert.Equal(7, setups.Get(0, 0, 2));        // observed pair first
        Assert.Equal(200, setups.Get(0, 1, 2));      // group 0 → 1 from the matrix
        Assert.Equal(40, setups.Get(1, 1, 2));       // learned on machine 1
        Assert.Equal(5, setups.Get(0, 0, 1));        // within group 0
        Assert.Equal(0, setups.Get(0, 1, 1));        // a reusable family after itself
        Assert.Equal(150, setups.Get(0, 2, 0));      // group 1 → 0 from the matrix
        Assert.Equal(90, setups.Get(0, 0, 3));       // no group: the family's own time
        Assert.Equal(150, setups.Get(1, SetupTimes.None, 0));  // machine 1 has family 2 (group 1) loaded
        Assert.Equal(30, setups.Get(0, SetupTimes.None, 0));   // nothing loaded: the family's own time
        Assert.Equal(200, setups.MaxInto(0, 2));
        Assert.Equal(150, setups.MaxInto(1, 0));
        Assert.Throws<SchedulingInputException>(() => SetupTimes.SkipWhenSame(1, [5], [true], [SetupTimes.None]).WithGroups([0], 1, new Dictionary<(int, int), int> { [(0, 0)] = -1 }, []));
        Assert.Throws<SchedulingInputException>(() => SetupTimes.SkipWhenSame(1, [5], [true], [SetupTimes.None]).WithGroups([3], 1, new Dictionary<(int, int), int>(), []));
    }

    [Fact]
    public void Thousands_of_families_on_many_machines_fit_where_a_full_matrix_would_not()
    {
        const int Machines = 60, Jobs = 3000;
        var random = new Random(3);
        var jobs = Enumerable.Range(0, Jobs).Select(j => new ShopJob([new ShopOperation(
            [.. Enumerable.Range(0, Machines).OrderBy(_ => random.Next()).Take(3).Select(m => new MachineOption(m, random.Next(5, 50)))], SetupFamily: j)], Due: random.Next(100, 5000))).ToList();
        Assert.Throws<SchedulingInputException>(() => new SetupTimes(Machines, Jobs, (_, _, _) => 10));

        var instance = new ShopInstance(Machines, jobs, SetupTimes.SkipWhenSame(Machines, [.. Enumerable.Repeat(10, Jobs)], [.. Enumerable.Repeat(true, Jobs)], [.. Enumerable.Repeat(SetupTimes.None, Machines)]));
        var result = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = null, IterationLimit = 100, Workers = 1, Objective = Objective.TotalWeightedTardiness });

        var check = Checking.ScheduleChecker.Check(instance, result.Best.Schedule);
        Assert.True(check.IsValid, string.Join("; ", check.Violations.Take(3)));
    }
}
