using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;

namespace Millwright.Bench.Cluster;

/// <summary>
/// A device of the cluster benchmark: publishes numbered points (QoS 1, one reading each, its own increasing
/// timestamps) to one node and, when that node's connection drops, finds another node and sends again whatever was
/// not acknowledged, as a QoS 1 device must. What it counts as acknowledged is what the platform promised to keep.
/// </summary>
internal sealed class ClusterDevice(ClusterDevice.Identity identity, IReadOnlyList<int> mqttPorts, int firstNode, double rate, int window)
{
    private readonly ConcurrentDictionary<int, Message> _unacked = new();
    private readonly ConcurrentDictionary<int, Message> _acked = new();
    private readonly ConcurrentQueue<(long At, double Milliseconds)> _latencies = new();
    private readonly ConcurrentDictionary<ReasonCode, int> _refusedWith = new();
    private MqttClientConnection? _connection;
    private int _node = firstNode;
    private long _lastTs;
    private int _refused;
    private int _reconnects;

    /// <summary>A machine's topic and device credential.</summary>
    internal sealed record Identity(string Topic, string UserName, string Secret, long MachineId)
    {
        public long TenantId { get; init; }
    }

    /// <summary>A point as sent: its number, its timestamp (the store's idempotence key with the series) and when it was first sent.</summary>
    internal sealed record Message(int Seq, long Ts, long FirstSent);

    public Identity Device => identity;

    public IReadOnlyCollection<Message> Acked => (IReadOnlyCollection<Message>)_acked.Values;

    public int Sent { get; private set; }

    public int Unacked => _unacked.Count;

    public int Refused => _refused;

    public int Reconnects => _reconnects;

    /// <summary>The refusals by the reason code the node gave (a PUBACK that was not a success).</summary>
    public IReadOnlyDictionary<ReasonCode, int> RefusedWith => _refusedWith;

    /// <summary>Publish → PUBACK of each acknowledged point (first send to acknowledgement), with the Stopwatch time of the acknowledgement.</summary>
    public IEnumerable<(long At, double Milliseconds)> Latencies => _latencies;

    /// <summary>Sends at the rate (0: as fast as the window allows) until <paramref name="stop"/>.</summary>
    public async Task SendAsync(CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        var seq = 0;
        while (!stop.IsCancellationRequested)
        {
            var connection = await EnsureConnectedAsync(stop);
            if (connection is null)
            {
                break;
            }

            if (rate > 0)
            {
                var due = started + (long)(seq / rate * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Delay(wait, stop);
                    continue;
                }
            }

            if (_unacked.Count >= window)
            {
                await Delay(TimeSpan.FromMilliseconds(2), stop);
                continue;
            }

            var ts = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _lastTs + 1);
            _lastTs = ts;
            var message = new Message(seq++, ts, Stopwatch.GetTimestamp());
            _unacked[message.Seq] = message;
            Sent++;
            _ = PublishAsync(connection, message);
        }
    }

    /// <summary>After sending stopped: keeps reconnecting and sending again until every point is acknowledged or the time is up.</summary>
    public async Task DrainAsync(TimeSpan patience)
    {
        using var limit = new CancellationTokenSource(patience);
        while (!_unacked.IsEmpty && !limit.IsCancellationRequested)
        {
            if (await EnsureConnectedAsync(limit.Token) is null)
            {
                break;
            }

            await Delay(TimeSpan.FromMilliseconds(20), limit.Token);
        }
    }

    public async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<MqttClientConnection?> EnsureConnectedAsync(CancellationToken ct)
    {
        if (_connection is { Completion.IsCompleted: false } live)
        {
            return live;
        }

        if (_connection is { } dead)
        {
            await dead.DisposeAsync();
            _connection = null;
            _node = (_node + 1) % mqttPorts.Count;
            Interlocked.Increment(ref _reconnects);
        }

        while (!ct.IsCancellationRequested)
        {
            try
            {
                var options = new MqttClientOptions("127.0.0.1", mqttPorts[_node], identity.UserName)
                {
                    UserName = identity.UserName,
                    Password = identity.Secret,
                    ConnectTimeout = TimeSpan.FromSeconds(5),
                };
                _connection = await MqttClientConnection.ConnectAsync(options, cancellationToken: ct);
                ResendAll(_connection);
                return _connection;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MqttConnectException or TimeoutException)
            {
                // That node is gone or refused: try the next one.
                _node = (_node + 1) % mqttPorts.Count;
                await Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        }

        return null;
    }

    private void ResendAll(MqttClientConnection connection)
    {
        foreach (var message in _unacked.Values.OrderBy(m => m.Seq))
        {
            _ = PublishAsync(connection, message);
        }
    }

    private async Task PublishAsync(MqttClientConnection connection, Message message)
    {
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"ts\":{message.Ts},\"values\":{{\"seq\":{message.Seq}}}}}"));
        try
        {
            var reason = await connection.PublishAsync(identity.Topic, payload, QualityOfService.AtLeastOnce);
            if (reason == ReasonCode.Success)
            {
                if (_unacked.TryRemove(message.Seq, out _))
                {
                    _acked[message.Seq] = message;
                    _latencies.Enqueue((Stopwatch.GetTimestamp(), Stopwatch.GetElapsedTime(message.FirstSent).TotalMilliseconds));
                }
            }
            else
            {
                // A refusal (the platform could not make it durable in time): sent again after a pause, as a device retries.
                Interlocked.Increment(ref _refused);
                _refusedWith.AddOrUpdate(reason, 1, (_, n) => n + 1);
                await Task.Delay(TimeSpan.FromSeconds(1));
                if (_connection is { Completion.IsCompleted: false } current && _unacked.ContainsKey(message.Seq))
                {
                    _ = PublishAsync(current, message);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            // The connection dropped: the message stays unacknowledged and goes again on the next connection.
        }
    }

    private static async Task Delay(TimeSpan wait, CancellationToken ct)
    {
        try
        {
            await Task.Delay(wait, ct);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
