using System.Text.Json;
using Millwright.Api;
using Millwright.Features.Connectivity;
using Millwright.Security;

namespace Millwright.Features.Production;

/// <summary>
/// An operator's own command to a machine (a program change, a stop), sent like the planner's through the
/// machine-command port (a JSON object to <c>mw/{tenant}/{device}/cmd</c> at QoS 1 for MQTT machines), recorded in
/// the audit log. The machine answers on cmd/ack. A machine whose transport cannot take it gets a 409 naming why.
/// </summary>
internal static class MachineCommands
{
    public const int MaxBytes = 16 * 1024;

    public static void MapMachineCommands(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/machines/{id:long}/commands", async (long id, JsonElement command, Caller caller, Sessions sessions, IMachineCommands commands, CancellationToken ct) =>
            {
                var payload = command.ValueKind == JsonValueKind.Object ? JsonSerializer.SerializeToUtf8Bytes(command)
                    : throw ApiProblem.Invalid("body", "a command is a JSON object, for example {\"type\": \"stop\"}");
                if (payload.Length > MaxBytes)
                {
                    throw ApiProblem.Invalid("body", $"a command is at most {MaxBytes} bytes");
                }

                if (!command.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(type.GetString()))
                {
                    throw ApiProblem.Invalid("type", "is required: what the machine is asked to do");
                }

                var receipt = await sessions.RunAsync(caller, async s =>
                {
                    var machine = await Machines.Machines.GetAsync(s, id);
                    var slug = await ProductionStore.TenantSlugAsync(s);
                    var sent = await commands.SendAsync(new MachineCommand(s.Tenant, slug, id, machine.Name, payload), ct);
                    if (sent.Refusal is { } refusal)
                    {
                        throw ApiProblem.Conflict($"The command was not sent: {refusal}.");
                    }

                    await s.AuditAsync("command", "machine", id, $"'{type.GetString()}' command sent to '{machine.Name}'");
                    return sent;
                }, ct);
                return TypedResults.Accepted(receipt.Address);
            })
            .RequireAuthorization(Policies.Operator)
            .WithTags("Production")
            .WithSummary("Send a command (a JSON object with a type) to the machine over its transport (MQTT, Sparkplug B NCMD/DCMD, Modbus register writes); 404 for an unknown machine, 409 when its transport cannot take it (the detail says why).");
}
