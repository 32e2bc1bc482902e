using Millwright.Api;

namespace Millwright.Features.Live;

/// <summary>
/// <c>GET /api/v1/live</c>: the live feed over WebSocket. Browsers cannot set headers on a WebSocket, so the
/// route lets the upgrade through without a key and the connection logs in itself (header or first
/// message); a key in the URL is refused, because URLs end up in logs and browser history.
/// </summary>
internal static class LiveApi
{
    private static readonly string[] KeyParameters = ["key", "apikey", "api_key", "api-key", "token", "access_token"];

    public static void MapLive(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/live", RunAsync)
            .AllowAnonymous()
            .WithTags("Live")
            .WithSummary("WebSocket: subscribe to machines, lines and sites of the key's tenant and receive their twin's changes. See docs/live-feed.md.");
    }

    private static async Task RunAsync(HttpContext http, LiveServices services)
    {
        var headerKey = ReadHeaderKey(http.Request);
        if (!http.WebSockets.IsWebSocketRequest)
        {
            // Plain HTTP gets the same answers as any tenant route, then is told what the route speaks.
            if (headerKey is null)
            {
                throw new ApiProblem(StatusCodes.Status401Unauthorized, "Unauthorized", "An API key is required: connect a WebSocket and send {\"key\": \"mwk_...\"}, or send the X-Api-Key header.");
            }

            var (caller, refusal) = await services.Verifier.VerifyAsync(headerKey, http.RequestAborted);
            if (caller is null)
            {
                throw new ApiProblem(StatusCodes.Status401Unauthorized, "Unauthorized", refusal!);
            }

            if (caller.TenantId is null)
            {
                throw ApiProblem.Forbidden("A platform key has no tenant; watch with a key of the tenant.");
            }

            throw new ApiProblem(StatusCodes.Status400BadRequest, "WebSocket required", "/api/v1/live is a WebSocket endpoint: connect with Upgrade: websocket.");
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var connection = new LiveConnection(socket, services);
        if (http.Request.Query.Keys.Any(k => KeyParameters.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            await connection.RefuseAsync("API keys are not accepted in the URL; send {\"key\": \"mwk_...\"} as the first message");
            return;
        }

        await connection.RunAsync(headerKey, http.RequestAborted);
    }

    private static string? ReadHeaderKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var header) && header.Count > 0)
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
