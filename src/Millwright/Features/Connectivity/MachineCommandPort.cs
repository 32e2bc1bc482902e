using System.Collections.Immutable;
using Millwright.Features.Telemetry;
using Millwright.Mqtt;
using Millwright.Mqtt.Server;

namespace Millwright.Features.Connectivity;

/// <summary>
/// The machine-command port. A machine's transport is the one it was last heard on: Modbus TCP and Sparkplug B
/// record their links in <see cref="MachineConnectivity"/>; any other machine (one the platform only knows by its
/// MQTT credential, or has not heard yet) speaks the platform's MQTT JSON contract and gets its commands published
/// to <c>mw/{tenant}/{device}/cmd</c> at QoS 1. A Sparkplug B machine gets an NCMD (it is the edge node) or DCMD
/// (a device under one) whose metrics are the command's members (<see cref="SparkplugCommandMetrics"/>). Other
/// transports (Modbus register writes, OPC UA method calls) are <see cref="IMachineCommandTransport"/>s their features add; a machine
/// whose transport has none is refused with a reason, never sent a publish nobody listens to.
/// Answers arrive through <see cref="Receive"/> from the transports and go to the first handler that claims them.
/// In a cluster, a command for a machine this node has not heard goes to the machine's owner (<see cref="IMachineCommandRoute"/>).
/// </summary>
internal sealed class MachineCommandPort(
    MachineConnectivity connectivity, SparkplugAddresses sparkplug, TimeProvider clock, IEnumerable<IMachineAckHandler> registered, IServiceProvider services)
    : IMachineCommands
{
    public const string MqttJson = "mqtt";
    public const string Modbus = "modbus";
    public const string Sparkplug = "sparkplug";

    private readonly Lock _subscribing = new();

    // Copy-on-write: answers read the array without a lock, subscriptions (rare) swap it under one.
    private ImmutableArray<IMachineAckHandler> _handlers = [.. registered];

    // Resolved on first use: the MQTT server is built with the gate, and the gate needs this port for answers.
    private MqttServer? _mqtt;
    private IMachineCommandTransport[]? _transports;
    private IMachineCommandRoute? _route;
    private volatile bool _routeResolved;

    /// <summary>The transport that carries commands to the machine now.</summary>
    public string TransportOf(long tenantId, long machineId) => connectivity.Of(tenantId, machineId)?.Source switch
    {
        Sparkplug => Sparkplug,
        { } source when Transports.Any(t => t.Source == source) => source,
        Modbus => Modbus,
        _ => MqttJson,
    };

    // Resolved on first use: a transport's feature may itself hand answers to this port.
    private IMachineCommandTransport[] Transports => _transports ??= [.. services.GetServices<IMachineCommandTransport>()];

    // Resolved on first use, like the transports: the cluster's route is built with this port.
    private IMachineCommandRoute? Route => _routeResolved ? _route : ResolveRoute();

    private IMachineCommandRoute? ResolveRoute()
    {
        _route = services.GetService<IMachineCommandRoute>();
        _routeResolved = true;
        return _route;
    }

    public ValueTask<CommandReceipt> SendAsync(MachineCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (connectivity.Of(command.TenantId, command.MachineId) is null && Route is { } route && route.CarriedElsewhere(command.MachineId))
        {
            return route.SendAsync(command, cancellationToken);
        }

        return SendHereAsync(command, cancellationToken);
    }

    /// <summary>Sends the command over the transport this node knows for the machine (what a machine's owner does for the others).</summary>
    public ValueTask<CommandReceipt> SendHereAsync(MachineCommand command, CancellationToken cancellationToken)
    {
        var transport = TransportOf(command.TenantId, command.MachineId);
        switch (transport)
        {
            case MqttJson:
                var topic = $"{TopicRules.PlatformRoot}/{command.TenantSlug}/{command.MachineName}/cmd";
                (_mqtt ??= services.GetRequiredService<MqttServer>()).Publish(topic, command.Payload, QualityOfService.AtLeastOnce);
                return ValueTask.FromResult(CommandReceipt.SentTo(transport, topic));
            case Sparkplug:
                return ValueTask.FromResult(SendSparkplug(command));
            default:
                return Transports.FirstOrDefault(t => t.Source == transport) is { } carrier
                    ? carrier.SendAsync(command, cancellationToken)
                    : ValueTask.FromResult(CommandReceipt.Refused(transport, $"machine '{command.MachineName}' is connected over {transport}, which takes no commands"));
        }
    }

    private CommandReceipt SendSparkplug(MachineCommand command)
    {
        var link = connectivity.Of(command.TenantId, command.MachineId);
        if (sparkplug.Of(command.TenantId, command.MachineId) is not { } address)
        {
            return CommandReceipt.Refused(Sparkplug, $"machine '{command.MachineName}' is heard over Sparkplug B but has not been born since the platform started (no NBIRTH/DBIRTH to address it)");
        }

        if (link is { Online: false })
        {
            // Sparkplug commands are QoS 0 (spec 5): one sent to a dead node is lost without a word.
            return CommandReceipt.Refused(Sparkplug, $"machine '{command.MachineName}' is offline over Sparkplug B (its death certificate came at {link.Since:u})");
        }

        IReadOnlyList<Millwright.Sparkplug.SparkplugMetricValue> metrics;
        try
        {
            metrics = SparkplugCommandMetrics.ToMetrics(command.Payload);
        }
        catch (System.Text.Json.JsonException e)
        {
            return CommandReceipt.Refused(Sparkplug, $"the command is not a JSON object, so it has no Sparkplug metrics: {e.Message}");
        }

        var now = clock.GetUtcNow();
        var publication = address.DeviceId is { } deviceId
            ? Millwright.Sparkplug.SparkplugCommands.DeviceCommand(address.GroupId, address.EdgeNodeId, deviceId, metrics, now)
            : Millwright.Sparkplug.SparkplugCommands.NodeCommand(address.GroupId, address.EdgeNodeId, metrics, now);
        (_mqtt ??= services.GetRequiredService<MqttServer>()).Publish(publication.TopicName, publication.Payload, QualityOfService.AtMostOnce);
        return CommandReceipt.SentTo(Sparkplug, publication.TopicName);
    }

    public IDisposable Subscribe(IMachineAckHandler handler)
    {
        lock (_subscribing)
        {
            _handlers = _handlers.Add(handler);
        }

        return new Subscription(this, handler);
    }

    /// <summary>
    /// Hands an answer whose command id has a namespace to the handler owning it; any other answer to the handlers
    /// in order until one claims it. Unclaimed, it is refused: nothing on the
    /// platform waits for it, and the machine should hear that rather than believe it was understood.
    /// </summary>
    public AckVerdict Receive(MachineAck ack)
    {
        if (CommandNamespace.Of(ack.Payload.Span) is { } space)
        {
            // The id says whose answer it is: only that feature is asked, whatever fields the answer holds.
            foreach (var owner in _handlers)
            {
                if (owner.CommandNamespace == space)
                {
                    return owner.Handle(ack);
                }
            }

            return AckVerdict.Refuse($"commandId names '{space}', but no feature of the platform sends commands with such ids");
        }

        string? why = null;
        foreach (var handler in _handlers)
        {
            var verdict = handler.Handle(ack);
            if (verdict.Claimed)
            {
                return verdict;
            }

            why ??= verdict.Refusal;
        }

        return AckVerdict.Refuse(why ?? "no feature of the platform takes this answer");
    }

    private void Unsubscribe(IMachineAckHandler handler)
    {
        lock (_subscribing)
        {
            _handlers = _handlers.Remove(handler);
        }
    }

    private sealed class Subscription(MachineCommandPort port, IMachineAckHandler handler) : IDisposable
    {
        public void Dispose() => port.Unsubscribe(handler);
    }
}
