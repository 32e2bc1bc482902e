using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Millwright.Cli;
using Millwright.Tailoring;

namespace Millwright.Bench;

/// <summary>
/// <c>millwright bench c2m-knn</c>: exact k-NN queries per second over the body database, the k-d tree beside brute
/// force, queried with the real ANSUR II bodies (both sexes, in turn). Every brute-force answer is also checked
/// against the tree's for the same query.
/// </summary>
internal static class KnnLoad
{
    public static Command Command()
    {
        var data = new Option<string>("--data") { Description = "Data directory holding c2m/bodies.mwb (millwright c2m population)", DefaultValueFactory = _ => "./data" };
        var k = new Option<int>("--k") { Description = "Neighbours per query", DefaultValueFactory = _ => 50 };
        var threads = new Option<int>("--threads") { Description = "Query threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seconds = new Option<double>("--seconds") { Description = "How long the tree is queried", DefaultValueFactory = _ => 10 };
        var bruteQueries = new Option<int>("--brute-queries") { Description = "Queries answered by brute force (and checked against the tree)", DefaultValueFactory = _ => 200 };
        var columns = new Option<string>("--columns") { Description = "Comma-separated measurements", DefaultValueFactory = _ => string.Join(',', Ansur.KeyMeasurements) };
        var command = new Command("c2m-knn", "Exact k-NN over the made-to-measure body database: k-d tree vs brute force, queries per second");
        foreach (var option in new Option[] { data, k, threads, seconds, bruteQueries, columns })
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            var path = BodyFile.PathUnder(Path.GetFullPath(result.GetValue(data)!));
            if (!File.Exists(path) || Ansur.FindDirectory() is not { } ansur)
            {
                Console.Error.WriteLine($"millwright: needs {path} (run `millwright c2m population`) and the ANSUR II data (${Ansur.DirectoryVariable})");
                return ExitCodes.Usage;
            }

            Console.Out.WriteLine(Run(path, ansur, result.GetValue(columns)!.Split(','), result.GetValue(k), result.GetValue(threads), result.GetValue(seconds), result.GetValue(bruteQueries)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Run(string path, string ansur, string[] columns, int k, int threads, double seconds, int bruteQueries)
    {
        var clock = Stopwatch.StartNew();
        var table = BodyFile.Read(path);
        var loaded = clock.Elapsed;
        clock.Restart();
        var space = KnnSpace.Build(table, columns);
        var tree = KdTree.Build(space);
        var built = clock.Elapsed;
        var queries = new[] { Ansur.Load(ansur, Sex.Male), Ansur.Load(ansur, Sex.Female) }
            .SelectMany(s => s.Rows.Select(r => space.Standardize(columns.Select(c => r[s.IndexOf(c)]).ToArray())))
            .ToArray();

        long done = 0;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        clock.Restart();
        var until = TimeSpan.FromSeconds(seconds);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            long mine = 0;
            for (var i = t; clock.Elapsed < until; i += threads)
            {
                tree.Search(queries[i % queries.Length], k);
                mine++;
            }

            Interlocked.Add(ref done, mine);
        });
        var treeRate = done / clock.Elapsed.TotalSeconds;
        process.Refresh();
        var treeCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        long bruteDone = 0;
        var mismatches = 0;
        cpuBefore = process.TotalProcessorTime;
        clock.Restart();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (var i = t; i < bruteQueries; i += threads)
            {
                var q = queries[i * 7 % queries.Length];
                if (!BruteForceKnn.Search(space, q, k).SequenceEqual(tree.Search(q, k)))
                {
                    Interlocked.Increment(ref mismatches);
                }

                Interlocked.Increment(ref bruteDone);
            }
        });

        // The brute-force pass also ran one tree query per check; its share of the time is negligible (tree ≫ brute).
        var bruteRate = bruteDone / clock.Elapsed.TotalSeconds;
        process.Refresh();
        var bruteCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        // On a shared machine wall-clock rates measure the neighbours too; queries per CPU-second times the thread
        // count is what the threads would do with their cores to themselves.
        return string.Create(CultureInfo.InvariantCulture,
            $"{table.Count:N0} bodies loaded in {loaded.TotalSeconds:F2} s; index on {string.Join(", ", columns)} built in {built.TotalSeconds:F2} s\n" +
            $"k = {k}, {threads} threads, {queries.Length:N0} real query bodies, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}\n" +
            $"k-d tree:    {treeRate,12:N0} queries/s wall, {done / treeCpu * threads,12:N0} queries/s on {threads} cores of CPU time ({done:N0} in {seconds:0.#} s, {treeCpu:F1} CPU-s)\n" +
            $"brute force: {bruteRate,12:N0} queries/s wall, {bruteDone / bruteCpu * threads,12:N0} queries/s on {threads} cores of CPU time ({bruteDone:N0}, {bruteCpu:F1} CPU-s); answers differing from the tree: {mismatches}");
    }
}
