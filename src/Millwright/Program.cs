using System.CommandLine;
using System.CommandLine.Invocation;
using Millwright.Cli;

var root = new RootCommand("Millwright: an open industrial internet platform. Connect machines, watch them live, run production.");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(BrokerCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(RegistryCommand.Create());
root.Subcommands.Add(ScheduleCommand.Create());

// Ctrl+C cancels the command's token; the command then gets up to 10 s to close cleanly (simulate publishes its
// Sparkplug deaths and disconnects its machines) before the process is ended with 130/143.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10) });
