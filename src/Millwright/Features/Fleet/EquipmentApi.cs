using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>Makes a machine fleet equipment (or not): the maker's identity that every AEMP header carries.</summary>
internal static class EquipmentApi
{
    public static void MapEquipment(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/machines/{id:long}/equipment").WithTags("Fleet");

        group.MapGet("/", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => FleetEquipment.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);

        group.MapPut("/", async (long id, EquipmentInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => FleetEquipment.PutAsync(s, id, input), ct)))
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Make the machine fleet equipment, or change its maker, model, serial number and PIN.");

        group.MapDelete("/", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await FleetEquipment.DeleteAsync(s, id);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Take the machine out of the fleet; its telemetry stays.");
    }
}
