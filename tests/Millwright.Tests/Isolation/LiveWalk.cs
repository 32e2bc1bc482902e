using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Isolation;

/// <summary>
/// The isolation walks' visit to the live feed, which speaks WebSocket rather than HTTP: the stranger
/// connects with its key (or, without one, tries to subscribe at once) and asks for the target's machine,
/// line and site. The outcome is expressed as the HTTP status the walks expect of a tenant route:
/// a 1008 close at login is 401 (403 when the reason is the platform key's missing tenant), all three ids
/// answered "not found" is 404, anything else (a snapshot, a partial answer) is 200 with every message as
/// the body, which the walks then search for the target's marker.
/// </summary>
internal static class LiveWalk
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(TestHost host, HttpClient client, RouteTarget target)
    {
        using var socket = new ClientWebSocket();
        var key = client.DefaultRequestHeaders.Authorization?.Parameter;
        if (key is not null)
        {
            socket.Options.SetRequestHeader("X-Api-Key", key);
        }

        using var deadline = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/api/v1/live"), deadline.Token);
        var subscribe = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["subscribe"] = new JsonObject
            {
                ["machines"] = new JsonArray(target.Plant.MachineId),
                ["lines"] = new JsonArray(target.Plant.LineId),
                ["sites"] = new JsonArray(target.Plant.SiteId),
            },
        }.ToJsonString());
        if (key is null)
        {
            await socket.SendAsync(subscribe, WebSocketMessageType.Text, true, deadline.Token);
        }

        var body = new StringBuilder();
        var welcomed = false;
        while (true)
        {
            var message = await ReceiveAsync(socket, deadline.Token);
            if (message is null)
            {
                body.Append(CultureInfo.InvariantCulture, $"close {(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
                var loginRefused = !welcomed && socket.CloseStatus == WebSocketCloseStatus.PolicyViolation;
                var status = !loginRefused ? HttpStatusCode.InternalServerError
                    : socket.CloseStatusDescription?.Contains("platform key", StringComparison.Ordinal) == true ? HttpStatusCode.Forbidden
                    : HttpStatusCode.Unauthorized;
                return (status, body.ToString());
            }

            body.AppendLine(message.ToJsonString());
            if (message["welcome"] is not null)
            {
                welcomed = true;
                await socket.SendAsync(subscribe, WebSocketMessageType.Text, true, deadline.Token);
            }
            else if (message["error"] is not null || message["snapshot"] is not null)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "walked", deadline.Token);
                var notFound = message["notFound"];
                var allNotFound = notFound is not null
                    && Ids(notFound["machines"]).SequenceEqual([target.Plant.MachineId])
                    && Ids(notFound["lines"]).SequenceEqual([target.Plant.LineId])
                    && Ids(notFound["sites"]).SequenceEqual([target.Plant.SiteId]);
                return (allNotFound ? HttpStatusCode.NotFound : HttpStatusCode.OK, body.ToString());
            }
        }
    }

    private static IEnumerable<long> Ids(JsonNode? list) => list?.AsArray().Select(n => n!.GetValue<long>()) ?? [];

    private static async Task<JsonNode?> ReceiveAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray());
            }
        }
    }
}
