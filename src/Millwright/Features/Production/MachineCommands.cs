using System.Text.Json;
using Millwright.Api;
using Millwright.Mqtt;
using Millwright.Mqtt.Server;
using Millwright.Security;

namespace Millwright.Features.Production;

/// <summary>
/// An operator's own command to a machine (a program change, a stop), sent like the planner's: a JSON object
/// to <c>mw/{tenant}/{device}/cmd</c> at QoS 1, recorded in the audit log. The machine answers on cmd/ack.
/// </summary>
internal static class MachineCommands
{
    public const int MaxBytes = 16 * 1024;

    public static void MapMachineCommands(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/machines/{id:long}/commands", async (long id, JsonElement command, Caller caller, Sessions sessions, MqttServer mqtt, CancellationToken ct) =>
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

                var topic = await sessions.RunAsync(caller, async s =>
                {
                    var machine = await Machines.Machines.GetAsync(s, id);
                    var slug = await ProductionStore.TenantSlugAsync(s);
                    await s.AuditAsync("command", "machine", id, $"'{type.GetString()}' command sent to '{machine.Name}'");
                    return $"mw/{slug}/{machine.Name}/cmd";
                }, ct);
                mqtt.Publish(topic, payload, QualityOfService.AtLeastOnce);
                return TypedResults.Accepted(topic);
            })
            .RequireAuthorization(Policies.Operator)
            .WithTags("Production")
            .WithSummary("Send a command (a JSON object with a type) to the machine over MQTT; 404 for an unknown machine.");
}
