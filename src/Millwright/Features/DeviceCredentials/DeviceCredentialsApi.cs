using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.DeviceCredentials;

internal static class DeviceCredentialsApi
{
    public static void MapDeviceCredentials(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/machines/{machineId:long}/credentials").WithTags("Device credentials");

        group.MapPost("/", async (long machineId, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var issued = await sessions.RunAsync(caller, s => DeviceCredentials.IssueAsync(s, machineId), ct);
                return TypedResults.Created($"/api/v1/machines/{machineId}/credentials/{issued.Id}", issued);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Issue a new credential for the machine, revoking its earlier ones. The secret is shown only in this response.");

        group.MapGet("/", async (long machineId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => DeviceCredentials.ListAsync(s, machineId), ct)))
            .RequireAuthorization(Policies.Viewer);

        group.MapDelete("/{id:long}", async (long machineId, long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await DeviceCredentials.RevokeAsync(s, machineId, id);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator);
    }
}
