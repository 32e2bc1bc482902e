using Millwright.Api;
using Millwright.Features.DeviceCredentials;
using Millwright.Security;

namespace Millwright.Features.Embroidery;

/// <summary>
/// Where a machine fetches the stitch file of the job it was sent: <c>GET /api/v1/embroidery/stitch-files/{sha256}</c>
/// with its own device credential (HTTP Basic), never an API key. A machine reads only files of its own tenant's
/// designs; any other hash, another tenant's included, is the same 404. The file is named by its content, so a
/// machine checks what it got against the hash in its command and may cache it.
/// </summary>
internal static class StitchFiles
{
    public const string Prefix = "/api/v1/embroidery/stitch-files";

    public static string PathOf(string sha256) => $"{Prefix}/{sha256}";

    public static void MapStitchFiles(this IEndpointRouteBuilder app) =>
        app.MapGet(Prefix + "/{sha256}", async (string sha256, HttpContext http, DeviceAuthenticator devices, Sessions sessions, CancellationToken ct) =>
            {
                var device = await DeviceBasic.AuthenticateAsync(http, devices, ct);
                if (device is null)
                {
                    http.Response.Headers.WWWAuthenticate = "Basic realm=\"millwright-devices\"";
                    return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                        detail: "Send the machine's device credential as HTTP Basic authentication (username:secret).");
                }

                var hash = sha256.ToLowerInvariant();
                var caller = new Caller(0, $"device {device.Username}", device.TenantId, Role.Viewer);
                var data = await sessions.RunAsync(caller, async s =>
                    hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower) && await EmbroideryStore.IsStitchFileAsync(s, hash)
                        ? await EmbroideryStore.FileAsync(s, hash) : null, ct);
                return data is null
                    ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no stitch file {sha256} for this machine's tenant.")
                    : Results.File(data, DesignIntake.DstType, $"{hash}.dst");
            })
            .AllowAnonymous()
            .WithTags("Embroidery")
            .WithSummary("A machine fetches a design's DST by its SHA-256 with its device credential (HTTP Basic); 404 for any file not of its tenant's designs.");
}
