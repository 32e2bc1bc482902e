using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Live;

/// <summary>A dashboard on the live feed, as <see cref="ClientWebSocket"/> sees it; every wait has a deadline.</summary>
internal sealed class LiveClient : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket = new();
    private readonly HttpMessageInvoker? _invoker;
    private readonly byte[] _buffer = new byte[1 << 16];

    private LiveClient(HttpMessageInvoker? invoker) => _invoker = invoker;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseReason => _socket.CloseStatusDescription;

    /// <summary>Connects, sending <paramref name="headerKey"/> as X-Api-Key when given (a tool) or nothing (a browser).</summary>
    /// <param name="smallReceiveBuffer">Pins the client socket's kernel receive buffer to 4 KiB, so a client that does not read stalls the server quickly.</param>
    public static async Task<LiveClient> ConnectAsync(TestHost host, string? headerKey, string query = "", bool smallReceiveBuffer = false)
    {
        HttpMessageInvoker? invoker = null;
        if (smallReceiveBuffer)
        {
            invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                    try
                    {
                        await socket.ConnectAsync(context.DnsEndPoint, ct);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            });
        }

        var client = new LiveClient(invoker);
        if (headerKey is not null)
        {
            client._socket.Options.SetRequestHeader("X-Api-Key", headerKey);
        }

        var uri = new Uri($"ws://{host.BaseAddress.Authority}/api/v1/live{query}");
        using var deadline = new CancellationTokenSource(Patience);
        if (invoker is null)
        {
            await client._socket.ConnectAsync(uri, deadline.Token);
        }
        else
        {
            await client._socket.ConnectAsync(uri, invoker, deadline.Token);
        }

        return client;
    }

    /// <summary>Connects with the key in the header and returns after the welcome.</summary>
    public static async Task<LiveClient> LoginAsync(TestHost host, string key)
    {
        var client = await ConnectAsync(host, key);
        var welcome = await client.ReceiveAsync();
        Assert.True(welcome?["welcome"] is not null, $"expected a welcome, got {welcome?.ToJsonString() ?? $"close {client.CloseStatus} {client.CloseReason}"}");
        return client;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var deadline = new CancellationTokenSource(Patience);
        await _socket.SendAsync(bytes, type, endOfMessage: true, deadline.Token);
    }

    public Task SubscribeAsync(string field, long[]? machines = null, long[]? lines = null, long[]? sites = null)
    {
        var selection = new JsonObject();
        if (machines is not null)
        {
            selection["machines"] = new JsonArray([.. machines.Select(m => (JsonNode)m)]);
        }

        if (lines is not null)
        {
            selection["lines"] = new JsonArray([.. lines.Select(m => (JsonNode)m)]);
        }

        if (sites is not null)
        {
            selection["sites"] = new JsonArray([.. sites.Select(m => (JsonNode)m)]);
        }

        return SendAsync(new JsonObject { [field] = selection }.ToJsonString());
    }

    /// <summary>The next message, or null when the server closed (see <see cref="CloseStatus"/>).</summary>
    public async Task<JsonNode?> ReceiveAsync()
    {
        using var deadline = new CancellationTokenSource(Patience);
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer, deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(_buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray());
            }
        }
    }

    /// <summary>Reads until a message satisfies <paramref name="match"/>; returns it and everything read before it.</summary>
    public async Task<(JsonNode Match, List<JsonNode> Before)> ReceiveUntilAsync(Func<JsonNode, bool> match)
    {
        var before = new List<JsonNode>();
        while (true)
        {
            var message = await ReceiveAsync();
            Assert.True(message is not null, $"closed ({CloseStatus} {CloseReason}) after {string.Join("\n", before.Select(m => m.ToJsonString()))}");
            if (match(message))
            {
                return (message, before);
            }

            before.Add(message);
        }
    }

    /// <summary>Reads until the server closes; returns what came before the close.</summary>
    public async Task<List<JsonNode>> ReceiveCloseAsync()
    {
        var before = new List<JsonNode>();
        while (await ReceiveAsync() is { } message)
        {
            before.Add(message);
        }

        return before;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var deadline = new CancellationTokenSource(Patience);
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server went first; nothing left to close.
            }
        }

        _socket.Dispose();
        _invoker?.Dispose();
    }

    public static bool IsChange(JsonNode m, long machine) => m["machine"]?.GetValue<long>() == machine && m["values"] is not null;
}
