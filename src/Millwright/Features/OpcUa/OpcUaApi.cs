using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;

namespace Millwright.Features.OpcUa;

internal static class OpcUaApi
{
    public static void MapOpcUa(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/machines/{machineId:long}/opcua").WithTags("OPC UA");

        group.MapGet("/", async (long machineId, Caller caller, Sessions sessions, MachineConnectivity connectivity, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => OpcUaConnections.GetAsync(s, machineId, connectivity), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The machine's OPC UA server, node map and current link state.");

        group.MapPut("/", async (long machineId, OpcUaConnectionInput input, Caller caller, Sessions sessions, OpcUaMachines machines, EgressPolicy egress,
                CancellationToken ct) =>
            {
                var connection = await sessions.RunAsync(caller, s => OpcUaConnections.PutAsync(s, machineId, input, egress, ct), ct);
                machines.Refresh();
                return TypedResults.Ok(connection);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Subscribe to the machine's OPC UA server: endpoint, publishing interval and node map (node id → tag, sampling, deadband).");

        group.MapDelete("/", async (long machineId, Caller caller, Sessions sessions, OpcUaMachines machines, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await OpcUaConnections.DeleteAsync(s, machineId);
                    return true;
                }, ct);
                machines.Refresh();
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Stop subscribing to the machine's OPC UA server.");
    }
}
