using Millwright.Scheduling.JobShop;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Tests;

/// <summary>The classic tabu search's back-jump tracking: saved tabu tables, the list of saved bests, and a run that uses them.</summary>
public sealed class BackJumpTests
{
    [Fact]
    public void A_saved_tabu_table_comes_back_with_the_same_iterations_left_and_expired_entries_free()
    {
        var problem = new JobShopProblem(Instances.Load("ft06"));
        var tabu = new TabuTable(problem);
        var (a, b, c) = (problem.MachineOps[0][0], problem.MachineOps[0][1], problem.MachineOps[0][2]);
        tabu[a, b] = 107;
        tabu[b, c] = 90;
        var snapshot = new long[tabu.SnapshotLength];

        tabu.SaveTo(snapshot, 100);
        tabu.Clear();
        tabu.RestoreFrom(snapshot, 500);

        Assert.True(tabu.CanSnapshot);
        Assert.Equal(507, tabu[a, b]);
        Assert.Equal(0, tabu[b, c]);
        Assert.Equal(0, tabu[a, c]);
    }

    [Fact]
    public void The_list_drops_its_oldest_entry_when_full_and_a_new_entry_starts_with_no_move_taken()
    {
        var problem = new JobShopProblem(Instances.Load("ft06"));
        var list = new BackJumpList(problem, 2, new TabuTable(problem).SnapshotLength);

        var first = list.Push();
        first.Taken.Add((0, 1, 2));
        var second = list.Push();
        var third = list.Push();

        Assert.Equal(2, list.Count);
        Assert.Same(first, third);
        Assert.Empty(third.Taken);
        list.DropNewest();
        Assert.Same(second, list.Newest);
        list.Clear();
        Assert.Equal(0, list.Count);
    }

    [Fact]
    public void A_run_that_stalls_jumps_back_and_stays_repeatable_for_a_seed()
    {
        var problem = new JobShopProblem(Instances.Load("la16"));
        TabuWorker Run()
        {
            var incumbent = new Incumbent(System.Diagnostics.Stopwatch.StartNew(), s => new SolverSnapshot(s, 0, 0, 0, TimeSpan.Zero));
            var worker = new TabuWorker(problem, 7, incumbent);
            worker.Run(40_000, () => false);
            return worker;
        }

        var first = Run();
        var second = Run();

        Assert.True(first.BackJumps > 0);
        Assert.Equal(first.BackJumps, second.BackJumps);
        Assert.Equal(first.Export().Objective, second.Export().Objective);
        Assert.Equal((double[])first.Export().Payload, (double[])second.Export().Payload);
    }
}
