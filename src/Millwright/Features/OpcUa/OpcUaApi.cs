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
                return TypedResults.Ok(await OpcUaImport.ProposeAsync(row, input, await machines.ClientOptionsAsync(row, ct), ct));
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

        app.MapTrustedCas();
    }

    /// <summary>The tenant's trusted CAs: server certificates they issued are trusted by the tenant's own OPC UA links.</summary>
    private static void MapTrustedCas(this IEndpointRouteBuilder app)
    {
        var cas = app.MapGroup("/api/v1/opcua/trusted-cas").WithTags("OPC UA");

        cas.MapGet("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, OpcUaTrustedCas.ListAsync, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The CAs whose server certificates this tenant's OPC UA links trust: subject, SHA-256 thumbprint, validity.");

        cas.MapPost("/", async (OpcUaTrustedCaInput input, Caller caller, Sessions sessions, OpcUaMachines machines, TimeProvider clock, CancellationToken ct) =>
            {
                var added = await sessions.RunAsync(caller, s => OpcUaTrustedCas.AddAsync(s, input, clock), ct);
                machines.Refresh();
                return TypedResults.Created($"/api/v1/opcua/trusted-cas/{added.Id}", added);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Trust a CA (PEM or base64 DER in 'certificate') for this tenant's OPC UA links; it must be a CA and valid now.");

        cas.MapDelete("/{id:long}", async (long id, Caller caller, Sessions sessions, OpcUaMachines machines, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await OpcUaTrustedCas.DeleteAsync(s, id);
                    return true;
                }, ct);
                machines.Refresh();
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Stop trusting a CA; the tenant's secured OPC UA links connect again and check their servers anew.");
    }
}
