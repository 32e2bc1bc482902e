using System.Text.Json;
using Millwright.Features.Connectivity;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.OpcUa;

namespace Millwright.Features.OpcUa;

/// <summary>
/// Commands to OPC UA machines: the command map names a method per command type, called over the machine's own
/// session (the one <see cref="OpcUaMachines"/> keeps for its values). What can be judged at once (no session, no
/// map, no method for the type, a member missing or not fitting its argument) is a refusal; the call itself runs
/// after the receipt, so a slow machine never holds the sender, and its result comes back as an answer through the
/// port: Good is the method's <c>result</c> status (accepted; cancelled for a cancel), a Bad status, a Bad input
/// argument, a first output argument of false, a call unanswered within the map's timeout or a session lost
/// meanwhile is <c>rejected</c> with the reason, which the machine's link detail shows too.
/// </summary>
internal sealed class OpcUaCommandTransport(OpcUaMachines machines, MachineCommandPort port, MachineConnectivity connectivity, TimeProvider clock)
    : IMachineCommandTransport
{
    /// <summary>The answer status of a refusal, as docs/production.md has it (this layer does not see production's types).</summary>
    private const string Rejected = "rejected";

    public string Source => OpcUaMachines.Source;

    public ValueTask<CommandReceipt> SendAsync(MachineCommand command, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Send(command));

    private CommandReceipt Send(MachineCommand command)
    {
        if (machines.Live(command.TenantId, command.MachineId) is not { } live)
        {
            var link = connectivity.Of(command.TenantId, command.MachineId);
            return CommandReceipt.Refused(Source, $"machine '{command.MachineName}' has no OPC UA session now{(link?.Detail is { } why ? $" ({why})" : "")}");
        }

        if (live.Commands is not { } map)
        {
            return CommandReceipt.Refused(Source,
                $"machine '{command.MachineName}' is connected over OPC UA without a command map (add 'commands' to PUT /api/v1/machines/{command.MachineId}/opcua)");
        }

        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(command.Payload);
            json = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return CommandReceipt.Refused(Source, $"the command is not JSON: {e.Message}");
        }

        var type = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        if (!map.Methods.TryGetValue(type, out var method))
        {
            return CommandReceipt.Refused(Source, $"the machine's OPC UA command map has no method for '{type}'");
        }

        var (arguments, refusal) = OpcUaCommandMaps.Arguments(method, json);
        if (refusal is not null)
        {
            return CommandReceipt.Refused(Source, refusal);
        }

        _ = CallAsync(command, live, map, method, type, json, arguments);
        return CommandReceipt.SentTo(Source, $"{live.Endpoint} {method.MethodId}");
    }

    private async Task CallAsync(MachineCommand command, OpcUaLive live, OpcUaCommandMapDto map, OpcUaMethodDto method, string type, JsonElement json, IReadOnlyList<Variant> arguments)
    {
        var status = Rejected;
        string? reason;
        var timeout = TimeSpan.FromMilliseconds(map.TimeoutMs);
        using var within = CancellationTokenSource.CreateLinkedTokenSource(live.Stopping);
        await using var timer = clock.CreateTimer(_ => within.Cancel(), null, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            var result = await live.Client.CallAsync(NodeId.Parse(method.ObjectId), NodeId.Parse(method.MethodId), arguments, within.Token);
            var badArgument = result.InputArgumentResults.Select((s, i) => (Status: s, Index: i)).FirstOrDefault(a => a.Status.IsBad);
            if (result.Status.IsBad && badArgument.Status.IsBad && badArgument.Index < method.Arguments.Count)
            {
                reason = $"the machine refused argument {badArgument.Index + 1} ('{method.Arguments[badArgument.Index].Member}') of {method.MethodId}: {badArgument.Status}";
            }
            else if (result.Status.IsBad)
            {
                reason = $"the machine refused the call of {method.MethodId}: {result.Status}";
            }
            else if (result.OutputArguments is [{ IsArray: false, Value: false }, ..])
            {
                reason = $"method {method.MethodId} answered false";
            }
            else
            {
                (status, reason) = (method.Result, null);
            }
        }
        catch (OperationCanceledException) when (!live.Stopping.IsCancellationRequested)
        {
            reason = $"the machine did not answer the call of {method.MethodId} within {timeout.TotalSeconds:0.#} s";
        }
        catch (OperationCanceledException)
        {
            reason = "the machine's OPC UA session ended before it answered the call";
        }
        catch (Exception e)
        {
            // A protocol error, or the session torn down under the call: the command is not taken, and says why.
            reason = $"the call of {method.MethodId} failed: {e.Message}";
        }

        if (reason is not null)
        {
            Show(connectivity, clock, command.TenantId, command.MachineId, $"command '{type}' not taken: {reason}");
        }

        if (port.Receive(new MachineAck(command.TenantId, command.MachineId, command.MachineName, Answer(json, status, reason))).Refusal is { } why && reason is null)
        {
            Show(connectivity, clock, command.TenantId, command.MachineId, $"answer to command '{type}' not taken: {why}");
        }
    }

    /// <summary>The answer an MQTT machine would publish: the command's id and job, the status and why.</summary>
    private static byte[] Answer(JsonElement command, string status, string? reason)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var member in (ReadOnlySpan<string>)["commandId", "jobId"])
            {
                if (command.TryGetProperty(member, out var value))
                {
                    json.WritePropertyName(member);
                    value.WriteTo(json);
                }
            }

            json.WriteString(OpcUaCommandMaps.StatusMember, status);
            if (reason is not null)
            {
                json.WriteString("reason", reason);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>On the machine's link, which keeps its state: the machine is there, its answer was wrong.</summary>
    public static void Show(MachineConnectivity connectivity, TimeProvider clock, long tenant, long machine, string detail)
    {
        var link = connectivity.Of(tenant, machine);
        connectivity.Set(tenant, machine, new ConnectionState(link?.Online ?? true, link?.Since ?? clock.GetUtcNow(), OpcUaMachines.Source, detail, link?.NextRetry, link?.Attempt));
    }
}
