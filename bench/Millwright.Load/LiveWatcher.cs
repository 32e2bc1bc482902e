using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Millwright.Bench;

/// <summary>
/// A dashboard's view for <c>bench ingest --live</c>: one WebSocket on the live feed watching the whole bench
/// site, timing each change from the wall-clock time its sample was sent (the <see cref="BenchMachine.SentTag"/>)
/// to its arrival here.
/// </summary>
internal sealed class LiveWatcher : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly List<double> _latencies = new(1 << 20);
    private readonly StageTimes _stages = new();
    private Task? _reader;
    private volatile bool _recording;

    public static async Task<LiveWatcher> ConnectAsync(Uri http, string key, long siteId, CancellationToken ct)
    {
        var watcher = new LiveWatcher();
        watcher._socket.Options.SetRequestHeader("X-Api-Key", key);
        await watcher._socket.ConnectAsync(new Uri($"ws://{http.Authority}/api/v1/live"), ct);
        var subscribe = Encoding.UTF8.GetBytes($$$"""{"subscribe": {"sites": [{{{siteId}}}]}}""");
        await watcher._socket.SendAsync(subscribe, WebSocketMessageType.Text, true, ct);
        watcher._reader = watcher.ReadAsync(ct);
        return watcher;
    }

    /// <summary>From now on, deliveries count (after the warm-up).</summary>
    public void Record()
    {
        _recording = true;
        _stages.Record();
    }

    /// <summary>The platform's commit and live-lag tails over the same window, to tell where the delivery tail goes.</summary>
    public string Stages() => _stages.Figures();

    public (double P50, double P99, double Max, int Count) Figures()
    {
        double[] sorted;
        lock (_latencies)
        {
            sorted = [.. _latencies.Order()];
        }

        return sorted.Length == 0 ? (double.NaN, double.NaN, double.NaN, 0) : (sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)], sorted[^1], sorted.Length);
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (!result.EndOfMessage)
                {
                    // A snapshot larger than the buffer: not a change, so not timed; read past it.
                    while (!(await _socket.ReceiveAsync(buffer.AsMemory(), ct)).EndOfMessage)
                    {
                    }

                    continue;
                }

                Note(buffer.AsSpan(0, length));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The bench is over.
        }
    }

    private void Note(ReadOnlySpan<byte> message)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var document = JsonDocument.Parse(message.ToArray());
        if (!_recording || !document.RootElement.TryGetProperty("values", out var values) || !values.TryGetProperty(BenchMachine.SentTag, out var sent))
        {
            return;
        }

        lock (_latencies)
        {
            _latencies.Add(now - sent.GetDouble());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        if (_reader is not null)
        {
            await _reader;
        }

        _socket.Dispose();
        _stages.Dispose();
    }
}
