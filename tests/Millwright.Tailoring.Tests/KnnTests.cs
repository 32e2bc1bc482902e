using Millwright.Tailoring;

namespace Millwright.Tailoring.Tests;

public sealed class KnnTests
{
    [Fact]
    public void The_tree_finds_exactly_what_brute_force_finds_on_random_tables_full_of_ties()
    {
        var random = new Random(7);
        for (var round = 0; round < 60; round++)
        {
            // Narrow value ranges make many bodies equidistant: the tie rule is exercised, not just the distances.
            var count = random.Next(1, 3000);
            var table = RandomTable(random, count, columns: 6, range: random.Next(2, 40));
            var chosen = Enumerable.Range(0, 6).OrderBy(_ => random.Next()).Take(random.Next(1, 6)).Select(j => table.Names[j]).ToArray();
            double[]? weights = random.Next(2) == 0 ? null : chosen.Select(_ => 0.25 + random.NextDouble() * 3).ToArray();
            Sex? sex = random.Next(3) switch { 0 => Sex.Male, 1 => Sex.Female, _ => null };
            var space = KnnSpace.Build(table, chosen, weights, sex);
            var tree = KdTree.Build(space);
            for (var q = 0; q < 20; q++)
            {
                var k = random.Next(0, 80);
                var query = space.Standardize(chosen.Select(_ => (double)random.Next(-5, 45)).ToArray());
                Assert.Equal(BruteForceKnn.Search(space, query, k), tree.Search(query, k));
            }
        }
    }

    [Fact]
    public void At_equal_distance_the_lower_body_index_comes_first()
    {
        // Bodies 0..9 alternate between two values; a query halfway is equally far from all of them.
        var column = Enumerable.Range(0, 10).Select(i => (ushort)(i % 2 == 0 ? 100 : 200)).ToArray();
        var table = new BodyTable(["stature"], [column], new byte[10]);
        var space = KnnSpace.Build(table, ["stature"]);
        var query = space.Standardize([150.0]);

        var found = KdTree.Build(space).Search(query, 4);

        Assert.Equal([0, 1, 2, 3], found.Select(n => n.Index));
        Assert.Equal(found, BruteForceKnn.Search(space, query, 4));
    }

    [Fact]
    public void Generated_bodies_queried_with_real_ones_agree_with_brute_force()
    {
        var table = PopulationGenerator.Generate(AnsurData.MaleModel, AnsurData.FemaleModel, 40_000, 0.5, 9, null, CancellationToken.None);
        var space = KnnSpace.Build(table, Ansur.KeyMeasurements);
        var tree = KdTree.Build(space);
        var columns = Ansur.KeyMeasurements.Select(AnsurData.Female.IndexOf).ToArray();
        foreach (var row in AnsurData.Female.Rows.Take(100))
        {
            var query = space.Standardize(columns.Select(j => row[j]).ToArray());
            Assert.Equal(BruteForceKnn.Search(space, query, 50), tree.Search(query, 50));
        }
    }

    internal static BodyTable RandomTable(Random random, int count, int columns, int range)
    {
        var data = new ushort[columns][];
        for (var j = 0; j < columns; j++)
        {
            data[j] = Enumerable.Range(0, count).Select(_ => (ushort)random.Next(0, range)).ToArray();
        }

        var sexes = Enumerable.Range(0, count).Select(_ => (byte)random.Next(2)).ToArray();
        return new BodyTable(Enumerable.Range(0, columns).Select(j => $"m{j}").ToArray(), data, sexes);
    }
}
