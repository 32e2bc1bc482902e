using Millwright.Fleet;
using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>Job sites and depots as GeoJSON polygons, the areas machines are allowed in, and the enter/leave events.</summary>
internal static class GeofenceApi
{
    private static readonly TimeSpan EventRange = TimeSpan.FromDays(366);

    public static void MapGeofences(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/fleet/geofences").WithTags("Fleet");

        group.MapGet("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(new GeofenceCollectionDto("FeatureCollection",
                    [.. (await sessions.RunAsync(caller, Geofences.ListAsync, ct)).Select(r => r.AsDto())])))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The tenant's job sites and depots as a GeoJSON FeatureCollection.");

        group.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok((await sessions.RunAsync(caller, s => Geofences.GetAsync(s, id), ct)).AsDto()))
            .RequireAuthorization(Policies.Viewer);

        group.MapPost("/", async (HttpRequest request, Caller caller, Sessions sessions, GeofenceWatcher watcher, CancellationToken ct) =>
            {
                var definition = Read(await BodyAsync(request, ct));
                var row = await sessions.RunAsync(caller, s => Geofences.CreateAsync(s, definition), ct);
                watcher.Invalidate(caller.Tenant);
                return TypedResults.Created($"/api/v1/fleet/geofences/{row.Id}", row.AsDto());
            })
            .RequireAuthorization(Policies.Operator)
            .Accepts<GeofenceFeatureDto>("application/geo+json", "application/json")
            .WithSummary("Add a job site or depot: a GeoJSON Feature with a Polygon and properties name, kind, timeZone, workingHours.");

        group.MapPut("/{id:long}", async (long id, HttpRequest request, Caller caller, Sessions sessions, GeofenceWatcher watcher, CancellationToken ct) =>
            {
                var definition = Read(await BodyAsync(request, ct));
                var row = await sessions.RunAsync(caller, s => Geofences.UpdateAsync(s, id, definition), ct);
                watcher.Invalidate(caller.Tenant);
                return TypedResults.Ok(row.AsDto());
            })
            .RequireAuthorization(Policies.Operator)
            .Accepts<GeofenceFeatureDto>("application/geo+json", "application/json");

        group.MapDelete("/{id:long}", async (long id, Caller caller, Sessions sessions, GeofenceWatcher watcher, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await Geofences.DeleteAsync(s, id);
                    return true;
                }, ct);
                watcher.Invalidate(caller.Tenant);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator);

        app.MapGet("/api/v1/fleet/geofence-events", async (long? machineId, long? geofenceId, string? from, string? to, Caller caller, Sessions sessions, TimeProvider clock, CancellationToken ct) =>
            {
                var range = TimeRange.Parse(from, to, TimeSpan.FromDays(1), EventRange, clock.GetUtcNow().ToUnixTimeMilliseconds());
                return TypedResults.Ok(await sessions.RunAsync(caller, s => Geofences.EventsAsync(s, machineId, geofenceId, range), ct));
            })
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Fleet")
            .WithSummary("Enter and leave events in [from, to) (default the last 24 h), oldest first, of one machine or geofence or all.");

        var allowed = app.MapGroup("/api/v1/machines/{id:long}/allowed-areas").WithTags("Fleet");
        allowed.MapGet("/", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Geofences.GetAllowedAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);
        allowed.MapPut("/", async (long id, AllowedAreasInput input, Caller caller, Sessions sessions, GeofenceWatcher watcher, CancellationToken ct) =>
            {
                var result = await sessions.RunAsync(caller, s => Geofences.PutAllowedAsync(s, id, input), ct);
                watcher.Invalidate(caller.Tenant);
                return TypedResults.Ok(result);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("The geofences the machine must stay inside (an empty list: anywhere); outside all of them raises an alarm.");
    }

    private static GeofenceDefinition Read(byte[] body)
    {
        try
        {
            return GeofenceDocument.Parse(body);
        }
        catch (FleetFormatException e)
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, "Invalid request", e.Message, e.Errors);
        }
    }

    private static async Task<byte[]> BodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > GeofenceDocument.MaxBytes)
            {
                throw ApiProblem.Invalid("body", $"a geofence document is at most {GeofenceDocument.MaxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
