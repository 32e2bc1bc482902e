using System.CommandLine;
using Millwright.Features.Live;

namespace Millwright.Cli;

/// <summary>The live feed's main limits as command-line options of <c>serve</c> and <c>demo</c>.</summary>
internal sealed class LiveLimitOptions
{
    private static readonly LiveOptions Defaults = new();

    public Option<int> MaxConnections { get; } = new("--live-max-connections") { Description = "Live feed WebSocket connections per tenant", DefaultValueFactory = _ => Defaults.MaxConnectionsPerTenant };
    public Option<int> MaxMachines { get; } = new("--live-max-machines") { Description = "Machines one live connection may cover", DefaultValueFactory = _ => Defaults.MaxMachinesPerConnection };
    public Option<double> AuthTimeout { get; } = new("--live-auth-timeout") { Description = "Seconds a browser has to send its key on the live feed", DefaultValueFactory = _ => Defaults.AuthTimeout.TotalSeconds };

    public void AddTo(Command command)
    {
        command.Options.Add(MaxConnections);
        command.Options.Add(MaxMachines);
        command.Options.Add(AuthTimeout);
    }

    /// <summary>The options, or an error message naming what is out of range.</summary>
    public (LiveOptions? Options, string? Error) Read(ParseResult result)
    {
        var seconds = result.GetValue(AuthTimeout);
        if (!double.IsFinite(seconds) || seconds is <= 0 or > 300)
        {
            return (null, "--live-auth-timeout must be more than 0 and at most 300 seconds.");
        }

        var options = Defaults with
        {
            MaxConnectionsPerTenant = result.GetValue(MaxConnections),
            MaxMachinesPerConnection = result.GetValue(MaxMachines),
            AuthTimeout = TimeSpan.FromSeconds(seconds),
        };
        try
        {
            options.Validate();
            return (options, null);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
    }
}
