using System.CommandLine;

namespace Millwright.Cli;

/// <summary><c>millwright registry import|export</c>: a tenant's plant as a YAML file.</summary>
internal static class RegistryCommand
{
    public static Command Create()
    {
        var command = new Command("registry", "Load and dump a tenant's plant (sites, areas, lines, machine types, machines) as YAML");
        return command;
    }
}
