using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;

namespace Millwright.Features.OpcUa;

internal static class OpcUaApi
{
    public static void MapOpcUa(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/machines/{machineId:long}/opcua").WithTags("OPC UA");

        group.MapGet("/", async (long machineId, Caller caller, Sessions sessions, MachineConnectivity connectivity, OpcUaMachines machines, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => OpcUaConnections.GetAsync(s, machineId, connectivity, machines), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The machine's OPC UA server, node map, current link state and each map entry's status (a browse path's resolved node).");

        group.MapPut("/", async (long machineId, OpcUaConnectionInput input, Caller caller, Sessions sessions, OpcUaMachines machines, EgressPolicy egress,
                CancellationToken ct) =>
            {
                var connection = await sessions.RunAsync(caller, s => OpcUaConnections.PutAsync(s, machineId, input, egress, ct), ct);
                machines.Refresh();
                return TypedResults.Ok(connection);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Subscribe to the machine's OPC UA server: endpoint, publishing interval and node map (node id or browse path → tag, sampling, deadband).");

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

        group.MapPost("/import", async (long machineId, [Microsoft.AspNetCore.Mvc.FromBody] OpcUaImportInput? input, Caller caller, Sessions sessions,
                OpcUaMachines machines, CancellationToken ct) =>
            {
                // The row is read in a session; the browse runs outside it, so no transaction waits on the network.
                var row = await sessions.RunAsync(caller, s => OpcUaConnections.RowAsync(s, machineId), ct);
                return TypedResults.Ok(await OpcUaImport.ProposeAsync(row, input, machines.ClientOptions(row), ct));
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Browse the machine's configured OPC UA server and propose a node map (Boolean and numeric scalars, tags from browse paths); nothing is stored until it is PUT.");

        group.MapPost("/trust", async (long machineId, OpcUaTrustInput input, Caller caller, Sessions sessions, OpcUaMachines machines, EgressPolicy egress,
                Hosting.ServeOptions options, TimeProvider clock, CancellationToken ct) =>
            {
                // The endpoint is read in one session and the audit written in another: no transaction waits on the network.
                var row = await sessions.RunAsync(caller, s => OpcUaConnections.RowAsync(s, machineId), ct);
                var trusted = await OpcUaTrust.TrustAsync(row.TenantId, row, input, egress, options, clock, ct);
                await sessions.RunAsync(caller, async s =>
                {
                    // A changed row restarts the machine's connection at once instead of after its back-off.
                    await s.ExecuteAsync("UPDATE opcua_connections SET updated_at = @Now WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Now, s.Tenant, machineId });
                    await s.AuditAsync("trust", "opcua_certificate", machineId, $"trusted OPC UA server certificate '{trusted.Subject}' (SHA-256 {trusted.Sha256})");
                    return true;
                }, ct);
                machines.Refresh();
                return TypedResults.Ok(trusted);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Trust the certificate the machine's OPC UA server presents, if its SHA-256 thumbprint is the one given (for Basic256Sha256).");
    }
}
