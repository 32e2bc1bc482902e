using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;

namespace Millwright.Features.Modbus;

internal static class ModbusApi
{
    public static void MapModbus(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/machines/{machineId:long}/modbus").WithTags("Modbus");

        group.MapGet("/", async (long machineId, Caller caller, Sessions sessions, MachineConnectivity connectivity, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => ModbusConnections.GetAsync(s, machineId, connectivity), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The machine's Modbus TCP connection, register map and current link state.");

        group.MapPut("/", async (long machineId, ModbusConnectionInput input, Caller caller, Sessions sessions, ModbusPolling polling, EgressPolicy egress,
                CancellationToken ct) =>
            {
                var connection = await sessions.RunAsync(caller, s => ModbusConnections.PutAsync(s, machineId, input, egress, ct), ct);
                polling.Refresh();
                return TypedResults.Ok(connection);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Poll the machine over Modbus TCP: address, unit id, interval and register map.");

        group.MapDelete("/", async (long machineId, Caller caller, Sessions sessions, ModbusPolling polling, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await ModbusConnections.DeleteAsync(s, machineId);
                    return true;
                }, ct);
                polling.Refresh();
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator);
    }
}
