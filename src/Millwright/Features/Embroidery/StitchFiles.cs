using Millwright.Api;
using Millwright.Features.DeviceCredentials;
using Millwright.Features.Production;
using Millwright.Security;

namespace Millwright.Features.Embroidery;

/// <summary>
/// Where a machine fetches the stitch file of the job it was sent: <c>GET /api/v1/embroidery/stitch-files/{sha256}</c>
/// with its own device credential (HTTP Basic), never an API key; and <c>.../{sha256}/needles</c>, the design's
/// thread plan mapped onto its own needles. A machine reads only the files of the jobs it holds now (sent to it or
/// running there): another machine of the tenant, the same machine once the job is done or moved on, and any other
/// hash, another tenant's included, get the same 404. The file is named by its content, so a machine checks what
/// it got against the hash in its command and may cache it.
/// </summary>
internal static class StitchFiles
{
    public const string Prefix = "/api/v1/embroidery/stitch-files";

    public static string PathOf(string sha256) => $"{Prefix}/{sha256}";

    public static void MapStitchFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet(Prefix + "/{sha256}", async (string sha256, HttpContext http, DeviceAuthenticator devices, Sessions sessions, CancellationToken ct) =>
            {
                var device = await DeviceBasic.AuthenticateAsync(http, devices, ct);
                if (device is null)
                {
                    return Unauthorized(http);
                }

                var hash = sha256.ToLowerInvariant();
                var data = await sessions.RunAsync(CallerOf(device), async s =>
                    await HeldDesignAsync(s, device, hash) is not null ? await EmbroideryStore.FileAsync(s, hash) : null, ct);
                return data is null ? NotHeld(sha256) : Results.File(data, DesignIntake.DstType, $"{hash}.dst");
            })
            .AllowAnonymous()
            .WithTags("Embroidery")
            .WithSummary("A machine fetches the DST of a job it holds by its SHA-256 with its device credential (HTTP Basic); 404 for any other file.");
        app.MapGet(Prefix + "/{sha256}/needles", async (string sha256, HttpContext http, DeviceAuthenticator devices, Sessions sessions, EmbroideryOptions options, CancellationToken ct) =>
            {
                var device = await DeviceBasic.AuthenticateAsync(http, devices, ct);
                if (device is null)
                {
                    return Unauthorized(http);
                }

                var plan = await sessions.RunAsync(CallerOf(device), async s =>
                    await HeldDesignAsync(s, device, sha256.ToLowerInvariant()) is { } design ? await MachineSetups.PlanAsync(s, design, device.MachineId, options) : null, ct);
                return plan is null ? NotHeld(sha256) : Results.Ok(plan);
            })
            .AllowAnonymous()
            .WithTags("Embroidery")
            .WithSummary("A machine reads the thread plan of a job it holds mapped onto its own needles (which needle sews each colour, where the operator threads one); 404 for any other file.");
    }

    private static Caller CallerOf(DeviceIdentity device) => new(0, $"device {device.Username}", device.TenantId, Role.Viewer);

    /// <summary>The design of a job the machine holds whose stitch file this is; null for anything else.</summary>
    private static async Task<DesignRow?> HeldDesignAsync(Session s, DeviceIdentity device, string hash) =>
        hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower)
            ? await EmbroideryStore.DesignOfOrdersAsync(s, hash, await ProductionStore.OrdersHeldByAsync(s, device.MachineId))
            : null;

    private static IResult Unauthorized(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"millwright-devices\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: "Send the machine's device credential as HTTP Basic authentication (username:secret).");
    }

    private static IResult NotHeld(string sha256) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no stitch file {sha256} of a job this machine holds.");
}
