using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Millwright.Design;

/// <summary>
/// A replica of a design project over its channel, as a tool (the collab bench, the tests) runs one: it applies its own
/// edits at once and sends them stamped, keeps them pending until acknowledged, applies everyone else's as they come,
/// and on a state message (welcome, resync) rebuilds from the snapshot and sends its pending edits again (stamped anew
/// when they became stale). An edit refused for good (error naming its counter) is dropped. Thread-safe.
/// </summary>
internal sealed class DesignChannelClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly object _gate = new();
    private readonly List<DesignOp> _pending = [];
    private readonly List<ChannelEvent> _events = [];
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DesignTree _tree = new();
    private Task _receive = Task.CompletedTask;
    private string _name = "";
    private int _refusedReconnects;

    /// <summary>Called on the receiving thread with other replicas' operations as they arrive (the bench times them).</summary>
    public Action<IReadOnlyList<DesignOp>>? OnOps { get; set; }

    /// <summary>Called on the receiving thread with the counters of this replica's edits the server acknowledged (the bench times them).</summary>
    public Action<IReadOnlyCollection<long>>? OnAck { get; set; }

    /// <summary>
    /// A light client keeps no replica: it only follows the clock to stamp its edits and tracks their acknowledgements
    /// (the collab bench runs hundreds of them beside a few full replicas that it checks for convergence).
    /// </summary>
    public bool Light { get; init; }

    /// <summary>The replica the server assigned (key id and the name given in the hello); stamps carry it.</summary>
    public string Replica { get; private set; } = "";

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseReason => _socket.CloseStatusDescription;

    /// <summary>Connects and says hello; returns once the welcome and the state arrived (or throws with the close reason).</summary>
    public static async Task<DesignChannelClient> ConnectAsync(Uri server, long project, string key, string name, bool keyInHeader = true, bool light = false, CancellationToken ct = default)
    {
        var client = new DesignChannelClient { Light = light };
        await client.OpenAsync(server, project, key, name, keyInHeader, ct);
        return client;
    }

    public async Task OpenAsync(Uri server, long project, string key, string name, bool keyInHeader, CancellationToken ct)
    {
        _name = name;
        if (keyInHeader)
        {
            _socket.Options.SetRequestHeader("X-Api-Key", key);
        }

        var uri = new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = $"/api/v1/design/projects/{project}/channel" }.Uri;
        await _socket.ConnectAsync(uri, ct);
        await SendRawAsync(Json(w =>
        {
            w.WriteString("type", "hello");
            w.WriteString("replica", name);
            if (!keyInHeader)
            {
                w.WriteString("key", key);
            }
        }), ct);
        _receive = ReceiveLoopAsync();
        await Task.WhenAny(_ready.Task, _receive).Unwrap().WaitAsync(ct);
        if (!_ready.Task.IsCompleted)
        {
            throw new InvalidOperationException($"the channel closed before the state: {CloseStatus} {CloseReason}");
        }
    }

    /// <summary>Runs <paramref name="read"/> on this replica's tree under its lock.</summary>
    public T Read<T>(Func<DesignTree, T> read)
    {
        lock (_gate)
        {
            return read(_tree);
        }
    }

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>The non-operation messages received so far.</summary>
    public List<ChannelEvent> Events(string? type = null)
    {
        lock (_gate)
        {
            return _events.Where(e => type is null || e.Type == type).ToList();
        }
    }

    /// <summary>Creates <paramref name="node"/> under <paramref name="parent"/> with <paramref name="fields"/>, as one message.</summary>
    public Task<IReadOnlyList<DesignOp>> CreateAsync(string node, string parent, params (string Field, string? Value)[] fields) =>
        EditAsync(stamp => [DesignOp.Move(stamp(), node, parent), .. fields.Select(f => DesignOp.Set(stamp(), node, f.Field, f.Value))]);

    public async Task<DesignOp> MoveAsync(string node, string parent) => (await EditAsync(stamp => [DesignOp.Move(stamp(), node, parent)]))[0];

    public async Task<DesignOp> SetAsync(string node, string field, string? value) => (await EditAsync(stamp => [DesignOp.Set(stamp(), node, field, value)]))[0];

    /// <summary>Stamps the edits made by <paramref name="make"/>, applies them here, keeps them pending and sends them.</summary>
    public async Task<IReadOnlyList<DesignOp>> EditAsync(Func<Func<OpStamp>, IReadOnlyList<DesignOp>> make, bool send = true)
    {
        IReadOnlyList<DesignOp> ops;
        lock (_gate)
        {
            ops = make(() => _tree.Next(Replica));
            foreach (var op in ops)
            {
                if (!Light)
                {
                    _tree.Apply(op);
                }

                _pending.Add(op);
            }
        }

        if (send)
        {
            await SendOpsAsync(ops);
        }

        return ops;
    }

    /// <summary>Sends edits made with <c>send: false</c> (the bench stamps its clock between making and sending).</summary>
    public Task FlushAsync(IReadOnlyList<DesignOp> ops) => SendOpsAsync(ops);

    /// <summary>Sends raw text (tests of malformed input).</summary>
    public Task SendTextAsync(string text) => SendRawAsync(System.Text.Encoding.UTF8.GetBytes(text), CancellationToken.None);

    public Task PresenceAsync(string? node) => SendRawAsync(Json(w =>
    {
        w.WriteString("type", "presence");
        w.WriteString("node", node);
    }), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server went first.
            }
        }

        await _receive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _send.Dispose();
    }

    /// <summary>Drops the connection without a close handshake, as a client that lost its network does; pending edits stay.</summary>
    public async Task DropAsync()
    {
        _socket.Abort();
        await _receive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// A new connection under the same replica name for a client that was offline; its pending edits are sent after the
    /// state. The server refuses a second connection of one replica, and it may not have seen the old one close yet, so
    /// that refusal is retried with backoff for up to <see cref="RetryRefusedFor"/>, as the browser's client does.
    /// </summary>
    public async Task<DesignChannelClient> ReconnectAsync(Uri server, long project, string key, CancellationToken ct = default)
    {
        var giveUp = DateTime.UtcNow + RetryRefusedFor;
        for (var attempt = 0; ; attempt++)
        {
            var next = new DesignChannelClient();
            lock (_gate)
            {
                next._tree = _tree;
                next._pending.AddRange(_pending);
                next.Replica = Replica;
            }

            try
            {
                await next.OpenAsync(server, project, key, _name, keyInHeader: true, ct);
                return next;
            }
            catch (InvalidOperationException) when (next.RefusedAsConnectedAlready && DateTime.UtcNow < giveUp)
            {
                Interlocked.Increment(ref _refusedReconnects);
                await next.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 << Math.Min(attempt, 5))), ct);
            }
            catch
            {
                await next.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>How many reconnect attempts the server refused as "replica connected already" (then retried).</summary>
    public int RefusedReconnects => Volatile.Read(ref _refusedReconnects);

    /// <summary>How long a reconnect retries the server's "replica connected already" refusal.</summary>
    public static TimeSpan RetryRefusedFor { get; } = TimeSpan.FromSeconds(15);

    private bool RefusedAsConnectedAlready =>
        CloseStatus == WebSocketCloseStatus.PolicyViolation && CloseReason?.Contains("connected already", StringComparison.Ordinal) == true;

    private Task SendOpsAsync(IReadOnlyList<DesignOp> ops) => ops.Count == 0 ? Task.CompletedTask : SendRawAsync(Json(w =>
    {
        w.WriteString("type", "ops");
        w.WriteStartArray("ops");
        foreach (var op in ops)
        {
            ServerMessages.WriteOp(w, op);
        }

        w.WriteEndArray();
    }), CancellationToken.None);

    private async Task SendRawAsync(byte[] bytes, CancellationToken ct)
    {
        await _send.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), CancellationToken.None);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var resend = Handle(buffer.WrittenSpan);
                if (buffer.Capacity > 1024 * 1024)
                {
                    // A state of a large design is megabytes; hundreds of light clients should not each keep a buffer that size.
                    buffer = new ArrayBufferWriter<byte>(64 * 1024);
                }

                if (resend is { Count: > 0 })
                {
                    await SendOpsAsync(resend);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped or closed; a connect still waiting sees the receive end without the state.
        }
    }

    /// <summary>Acts on one server message; returns pending edits to send again after a state.</summary>
    private List<DesignOp>? Handle(ReadOnlySpan<byte> bytes)
    {
        using var document = JsonDocument.Parse(bytes.ToArray());
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        switch (type)
        {
            case "ops":
                var ops = root.GetProperty("ops").EnumerateArray().Select(ServerMessages.Op).ToList();
                lock (_gate)
                {
                    foreach (var op in ops)
                    {
                        if (Light)
                        {
                            _tree.Witness(op.Stamp.Counter);
                        }
                        else if (!_tree.IsStale(op.Stamp))
                        {
                            _tree.Apply(op);
                        }
                    }
                }

                OnOps?.Invoke(ops);
                return null;
            case "ack":
                var counters = root.GetProperty("counters").EnumerateArray().Select(c => c.GetInt64()).ToHashSet();
                lock (_gate)
                {
                    _pending.RemoveAll(p => counters.Contains(p.Stamp.Counter));
                }

                OnAck?.Invoke(counters);
                return null;
            case "state" when Light:
                lock (_gate)
                {
                    // Without a replica it cannot tell stale from placeable, so it rebases every pending edit.
                    _tree.Witness(root.GetProperty("clock").GetInt64());
                    var rebased = _pending.Select(op => op with { Stamp = _tree.Next(Replica) }).ToList();
                    _pending.Clear();
                    _pending.AddRange(rebased);
                    _ready.TrySetResult();
                    return rebased;
                }

            case "state":
                return Rebuild(ServerMessages.Snapshot(root));
            case "presence" or "parameters" when Light:
                // Hundreds of bench clients: who looks at what and computed values are not kept.
                return null;
            default:
                lock (_gate)
                {
                    _events.Add(new ChannelEvent(type ?? "", JsonNode.Parse(root.GetRawText())!));
                    if (type == "welcome")
                    {
                        Replica = root.GetProperty("replica").GetString()!;
                    }
                    else if (type == "error" && root.GetProperty("code").GetString() == "read-only")
                    {
                        // A viewer's edits are refused whatever their stamps: none of them will ever be taken.
                        _pending.Clear();
                    }
                    else if (type == "error" && root.GetProperty("code").GetString() is not "stale" && root.TryGetProperty("counter", out var c))
                    {
                        // Refused for good: sending it again would be refused again.
                        var counter = c.GetInt64();
                        _pending.RemoveAll(p => p.Stamp.Counter == counter);
                    }
                }

                return null;
        }
    }

    private List<DesignOp> Rebuild(DesignSnapshot snapshot)
    {
        lock (_gate)
        {
            var clock = _tree.Clock;
            _tree = DesignTree.FromSnapshot(snapshot);
            while (_tree.Clock < clock)
            {
                _tree.Next(Replica);
            }

            var resend = new List<DesignOp>();
            foreach (var op in _pending.ToList())
            {
                if (_tree.Knows(op.Stamp))
                {
                    continue;
                }

                // A stale edit is rebased: the same change with a new stamp after everything this replica has seen.
                var again = _tree.IsStale(op.Stamp) ? op with { Stamp = _tree.Next(Replica) } : op;
                _tree.Apply(again);
                resend.Add(again);
            }

            _pending.Clear();
            _pending.AddRange(resend);
            _ready.TrySetResult();
            return resend;
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
