using Millwright.Api;
using Millwright.Features.DeviceCredentials;
using Millwright.Security;

namespace Millwright.Features.Tailoring;

/// <summary>
/// Where a cutting machine fetches the DXF and marker of the job it was sent: <c>GET /api/v1/c2m/files/{sha256}</c>
/// with its own device credential (HTTP Basic), never an API key. Only files a made-to-measure order of the
/// machine's own tenant sends to machines are served; any other hash, another tenant's included, is the same 404.
/// </summary>
internal static class PatternFiles
{
    public const string Prefix = "/api/v1/c2m/files";

    public static string PathOf(string sha256) => $"{Prefix}/{sha256}";

    public static void MapPatternFiles(this IEndpointRouteBuilder app) =>
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
                    hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower) && await TailoringStore.IsMachineFileAsync(s, hash)
                        ? await TailoringStore.FileAsync(s, hash) : null, ct);
                return data is null
                    ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no pattern file {sha256} for this machine's tenant.")
                    : Results.File(data, "application/octet-stream", hash);
            })
            .AllowAnonymous()
            .WithTags("Made-to-measure")
            .WithSummary("A machine fetches a made-to-measure order's DXF or marker by its SHA-256 with its device credential (HTTP Basic); 404 for any other file.");
}
