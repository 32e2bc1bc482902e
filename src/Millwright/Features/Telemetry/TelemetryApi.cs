using Millwright.Api;
using Millwright.Features.DeviceCredentials;
using Millwright.Messages;
using Millwright.Security;

namespace Millwright.Features.Telemetry;

internal static class TelemetryApi
{
    /// <summary>How long an HTTP sender waits for room in a full pipeline before it is told to retry.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    public static void MapTelemetry(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/telemetry", IngestAsync)
            .AllowAnonymous()
            .WithTags("Telemetry")
            .WithSummary("A device reports values: HTTP Basic auth with its credential; body as on MQTT: {\"ts\": ..., \"values\": {...}} or an array of those.");

        app.MapGet("/api/v1/machines/{id:long}/telemetry-flags", async (long id, Caller caller, Sessions sessions, TelemetryFlags flags, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, s => Machines.Machines.GetAsync(s, id), ct);
                return TypedResults.Ok(await flags.ListAsync(caller.Tenant, id, ct));
            })
            .WithTags("Telemetry")
            .WithSummary("Values the machine sent that its type did not expect and that were stored flagged: count and latest example per tag and reason.")
            .RequireAuthorization(Policies.Viewer);
    }

    private static async Task<IResult> IngestAsync(HttpContext http, DeviceAuthenticator devices, TelemetryPipeline pipeline, Quotas.TenantRates rates, Metrics.QuotaRefusals refusals, TimeProvider clock, CancellationToken ct)
    {
        var device = await DeviceBasic.AuthenticateAsync(http, devices, ct);
        if (device is null)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"millwright-devices\"";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "Send the machine's device credential as HTTP Basic authentication (username:secret).");
        }

        if (rates.Take(device.TenantId) is { } wait)
        {
            refusals.Add("publish-rate", device.TenantId);
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Quota exceeded",
                detail: "The tenant sends telemetry faster than its 'publish-rate' quota allows; retry after the time in Retry-After.",
                extensions: new Dictionary<string, object?> { ["quota"] = "publish-rate" });
        }

        var body = await ReadBodyAsync(http.Request, ct);
        var now = clock.GetUtcNow();
        List<Reading> readings;
        try
        {
            readings = TelemetryJson.Parse(body.Span, now.ToUnixTimeMilliseconds());
        }
        catch (TelemetryFormatException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid telemetry", detail: e.Message);
        }

        var admission = await pipeline.AdmitAsync(new DeviceMessage(device.TenantId, device.MachineId, "http", now, readings), Patience, ct);
        if (admission.Quota is { } quota)
        {
            refusals.Add(quota, device.TenantId);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Quota exceeded", detail: admission.Refusal,
                extensions: new Dictionary<string, object?> { ["quota"] = quota });
        }

        if (admission.Refusal is { } refusal)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Telemetry refused", detail: refusal);
        }

        if (admission.Busy)
        {
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy",
                detail: "The platform is taking in more than it can store right now; retry after a second.");
        }

        try
        {
            // 202 only once the values are durable: a client that got it never needs to send them again.
            await admission.Stored!.WaitAsync(ct);
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not stored", detail: e.Message + "; send them again.");
        }

        return TypedResults.Accepted((string?)null, new { accepted = readings.Count });
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        // Kestrel's MaxRequestBodySize bounds this; a larger body fails with 413 before we see it all.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
