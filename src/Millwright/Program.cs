using System.CommandLine;
using Millwright.Cli;

var root = new RootCommand("Millwright: an open industrial internet platform. Connect machines, watch them live, run production.");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(BrokerCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(RegistryCommand.Create());
return await root.Parse(args).InvokeAsync();
