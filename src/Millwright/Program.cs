using System.CommandLine;
using System.CommandLine.Invocation;
using Millwright.Cli;

// Every argument after "bench", --help included, belongs to the load program it runs (docs/benchmarks.md).
if (args.Length > 0 && args[0] == BenchLauncher.Verb)
{
    return await BenchLauncher.RunAsync(args[1..]);
}

var root = new RootCommand("Millwright: an open industrial internet platform. Connect machines, watch them live, run production.");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(BrokerCommand.Create());
root.Subcommands.Add(BenchLauncher.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(RegistryCommand.Create());
root.Subcommands.Add(ScheduleCommand.Create());
root.Subcommands.Add(AnomalyCommand.Create());
root.Subcommands.Add(C2mCommand.Create());
root.Subcommands.Add(EmbroideryCommand.Create());
root.Subcommands.Add(OpcUaCommand.Create());

// Ctrl+C cancels the command's token; the command then gets up to 10 s to close cleanly (simulate publishes its
// Sparkplug deaths and disconnects its machines) before the process is ended with 130/143.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10) });
