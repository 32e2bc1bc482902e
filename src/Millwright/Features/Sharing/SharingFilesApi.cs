using Microsoft.AspNetCore.Http.Features;
using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Sharing;

/// <summary>Files on requests (docs/sharing.md, "Files"): the buyer uploads raw bytes; the buyer and the providers it asked download them.</summary>
internal static class SharingFilesApi
{
    public static void MapSharingFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/sharing/requests/{id:long}/split", async (long id, HttpContext http, QuoteRates rates, Caller caller, Sessions sessions, CancellationToken ct) =>
                rates.Take(caller.Tenant) is { } wait
                    ? QuoteRates.TooMany(http, wait)
                    : Results.Ok(await sessions.RunAsync(caller, s => SplitPlans.PlanAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Sharing")
            .WithSummary("Split a multi-step request across providers: who does which step when, with the transport between their sites (a quote).");

        var files = app.MapGroup("/api/v1/sharing/requests/{id:long}/files").WithTags("Sharing");
        files.MapPost("/", async (long id, string? kind, string? name, HttpContext http, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var data = await ReadLimitedAsync(http.Request, ct);
                if (data is null)
                {
                    return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
                        detail: $"A file on a request may hold at most {SharingFiles.MaxBytes >> 20} MiB.");
                }

                var file = await sessions.RunAsync(caller, s => SharingFiles.AttachAsync(s, id, kind, name, data), ct);
                return Results.Created($"/api/v1/sharing/requests/{id}/files/{file.Id}", file);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Attach a file to an open request: the body is the file; ?kind=drawing|program|embroidery&name=…; its type is checked by content.");
        files.MapGet("/", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SharingFiles.ListAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The request's files, for its buyer and the providers it asked for a quote.");
        files.MapGet("/{fileId:long}", async (long id, long fileId, HttpContext http, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var (file, content) = await sessions.RunAsync(caller, s => SharingFiles.DownloadAsync(s, id, fileId), ct);
                // The type was proven from the content at upload; the browser must not guess another one.
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.File(content, file.ContentType, file.Name);
            })
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Download one file of the request (buyer, or a provider it asked); a provider's download is in both audit logs.");
    }

    /// <summary>
    /// The body, or null when it is longer than <see cref="SharingFiles.MaxBytes"/>. The rest of a long body is read
    /// and dropped (Kestrel's request size limit bounds it), so the client gets the 413 rather than a reset connection.
    /// </summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // A file may be larger than the host's body limit (1 MiB by default); Kestrel refuses past the file limit and a MiB.
            limit.MaxRequestBodySize = SharingFiles.MaxBytes + (1 << 20);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        var tooLong = request.ContentLength > SharingFiles.MaxBytes;
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            tooLong |= buffer.Length + read > SharingFiles.MaxBytes;
            if (!tooLong)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        return tooLong ? null : buffer.ToArray();
    }
}
