using System.CommandLine;
using Millwright.Mqtt.Server;

namespace Millwright.Cli;

/// <summary>The broker's limits as command-line options, shared by <c>broker</c> and <c>serve</c>.</summary>
internal sealed class MqttLimitOptions
{
    private static readonly MqttServerOptions Defaults = new();

    public Option<int> MaxPacketSize { get; } = new("--mqtt-max-packet") { Description = "Largest MQTT packet accepted, bytes", DefaultValueFactory = _ => Defaults.MaxPacketSize };
    public Option<int> MaxConnections { get; } = new("--mqtt-max-connections") { Description = "Most MQTT connections at once", DefaultValueFactory = _ => Defaults.MaxConnections };
    public Option<int> ReceiveMaximum { get; } = new("--mqtt-max-inflight") { Description = "Unacknowledged QoS 1/2 publishes per client (Receive Maximum)", DefaultValueFactory = _ => Defaults.ReceiveMaximum };
    public Option<int> MaxQueued { get; } = new("--mqtt-max-queued") { Description = "Messages queued per session before new ones are dropped", DefaultValueFactory = _ => Defaults.MaxQueuedMessages };
    public Option<double> MaxRate { get; } = new("--mqtt-max-rate") { Description = "Publishes per second per client (0: no limit)", DefaultValueFactory = _ => Defaults.MaxPublishRate };
    public Option<bool> ParkIdle { get; } = new("--mqtt-park-idle") { Description = "Plain TCP clients wait in the broker's own epoll loop on Linux, which holds less per idle client (default true; docs/mqtt.md)", DefaultValueFactory = _ => Defaults.ParkIdleSockets };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { MaxPacketSize, MaxConnections, ReceiveMaximum, MaxQueued, MaxRate, ParkIdle })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The options, or an error message naming what is out of range.</summary>
    public (MqttServerOptions? Options, string? Error) Read(ParseResult result)
    {
        MqttServerOptions With(int maxConnections, int maxUnauthenticated) => new()
        {
            MaxPacketSize = result.GetValue(MaxPacketSize),
            MaxConnections = maxConnections,
            MaxUnauthenticatedConnections = maxUnauthenticated,
            ReceiveMaximum = (ushort)Math.Clamp(result.GetValue(ReceiveMaximum), 1, ushort.MaxValue),
            MaxQueuedMessages = result.GetValue(MaxQueued),
            MaxPublishRate = result.GetValue(MaxRate),
            ParkIdleSockets = result.GetValue(ParkIdle),
        };

        var options = With(result.GetValue(MaxConnections), Defaults.MaxUnauthenticatedConnections);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }

        if (DescriptorBudget.RaiseAndRead() is { } limit && DescriptorBudget.Fit(options.MaxConnections, options.MaxUnauthenticatedConnections, limit) is { } fitted)
        {
            Console.Error.WriteLine($"millwright: this process may open {limit:N0} files, so MQTT takes at most {fitted.MaxConnections:N0} connections " +
                $"and {fitted.MaxUnauthenticated:N0} not yet logged in (raise the limit with ulimit -n to allow --mqtt-max-connections {options.MaxConnections:N0})");
            options = With(fitted.MaxConnections, fitted.MaxUnauthenticated);
        }

        return (options, null);
    }
}
