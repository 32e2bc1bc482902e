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

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { MaxPacketSize, MaxConnections, ReceiveMaximum, MaxQueued, MaxRate })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The options, or an error message naming what is out of range.</summary>
    public (MqttServerOptions? Options, string? Error) Read(ParseResult result)
    {
        var options = new MqttServerOptions
        {
            MaxPacketSize = result.GetValue(MaxPacketSize),
            MaxConnections = result.GetValue(MaxConnections),
            ReceiveMaximum = (ushort)Math.Clamp(result.GetValue(ReceiveMaximum), 1, ushort.MaxValue),
            MaxQueuedMessages = result.GetValue(MaxQueued),
            MaxPublishRate = result.GetValue(MaxRate),
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
