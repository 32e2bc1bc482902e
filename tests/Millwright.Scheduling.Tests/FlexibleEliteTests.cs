using Millwright.Scheduling.Flexible;

namespace Millwright.Scheduling.Tests;

/// <summary>The pool of distinct good solutions the flexible tabu search restarts from.</summary>
public sealed class FlexibleEliteTests
{
    [Fact]
    public void The_pool_keeps_the_best_distinct_solutions_up_to_its_size_and_loads_them_back()
    {
        var problem = new FlexibleProblem(Instances.LoadFlexible("mk01"));
        var random = new Random(11);
        var graphs = Enumerable.Range(0, 6).Select(_ =>
        {
            var g = new FlexibleGraph(problem);
            var (choice, sequences) = FlexibleConstruction.Build(problem, random);
            g.Load(choice, sequences);
            Assert.True(g.Evaluate());
            return g;
        }).ToList();
        var pool = new FlexibleElite(3);

        pool.Offer(graphs[0]);
        pool.Offer(graphs[0]);
        Assert.Equal(1, pool.Count);
        foreach (var g in graphs.Skip(1))
        {
            pool.Offer(g);
        }

        Assert.Equal(3, pool.Count);
        var kept = graphs.Select(g => g.Makespan).Order().Take(3).ToList();
        var loaded = new FlexibleGraph(problem);
        var seen = new HashSet<int>();
        for (var i = 0; i < 50; i++)
        {
            pool.LoadRandom(loaded, random);
            Assert.Contains(loaded.Makespan, kept);
            seen.Add(loaded.Makespan);
        }

        Assert.Equal(kept.Distinct().Count(), seen.Count);
    }
}
