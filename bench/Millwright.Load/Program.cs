using System.CommandLine;
using Millwright.Bench;

// The load generators behind `millwright bench <name>`: the product's bench verb runs this program with the
// arguments after "bench" (src/Millwright/Cli/BenchCommand.cs), so the options and output are these.
var root = new RootCommand("Millwright's load generators for whole-system benchmarks (run as `millwright bench <name>`; see docs/benchmarks.md)");
foreach (var benchmark in BenchCommand.Benchmarks())
{
    root.Subcommands.Add(benchmark);
}

return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10) });
