using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Millwright.Bench.Cluster;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Mqtt.Packets;

namespace Millwright.Tests.Cluster;

/// <summary>
/// What watches the devices of a cluster scenario from one node: a dashboard (a live subscriber whose session is not
/// kept) and an integration whose session the cluster keeps, both subscribed QoS 1 to every device's telemetry. The
/// integration resumes its session on the same node whenever its connection is closed (as a kept session's client
/// does), until it is accepted again.
/// </summary>
internal sealed class TelemetryOnlookers : IAsyncDisposable
{
    private const uint Expiry = 300;

    private readonly ConcurrentDictionary<(string Topic, int Seq), byte> _kept = new();
    private readonly ConcurrentDictionary<string, long> _lastLive = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _keptClientId = "integration-" + Guid.NewGuid().ToString("N")[..8];
    private MqttClientConnection? _dashboard;
    private Task? _keeping;
    private int _resumes;

    /// <summary>How often the kept session's client had to connect again (its node closed it).</summary>
    public int Resumes => Volatile.Read(ref _resumes);

    /// <summary>Subscribes both on <paramref name="node"/>; the kept session's SUBSCRIBE returns once its queue is bound.</summary>
    public async Task StartAsync(ClusterScenario.Stage stage, NodeProcess node, CancellationToken ct)
    {
        var filter = $"mw/{stage.Slug}/+/telemetry";
        _dashboard = await MqttClientConnection.ConnectAsync(
            new MqttClientOptions("127.0.0.1", node.MqttPort, "dashboard-" + Guid.NewGuid().ToString("N")[..8]) { UserName = "operator", Password = stage.TenantKey },
            message => _lastLive[message.Topic] = Stopwatch.GetTimestamp(), ct);
        Assert.Equal([ReasonCode.GrantedQoS1], await _dashboard.SubscribeAsync(filter, QualityOfService.AtLeastOnce, ct));

        var kept = await ConnectKeptAsync(node, stage.TenantKey, cleanStart: true, ct);
        Assert.Equal([ReasonCode.GrantedQoS1], await kept.SubscribeAsync(filter, QualityOfService.AtLeastOnce, ct));
        _keeping = Task.Run(() => KeepAsync(kept, node, stage.TenantKey), CancellationToken.None);
    }

    /// <summary>The acknowledged points of <paramref name="devices"/> the kept session has not received (yet).</summary>
    public List<(string Topic, int Seq)> MissingFromKeptSession(IEnumerable<ClusterDevice> devices) =>
        [.. devices.SelectMany(d => d.Acked.Select(m => (d.Device.Topic, m.Seq))).Where(p => !_kept.ContainsKey(p))];

    /// <summary>The devices' topics the dashboard has received nothing on since <paramref name="since"/> (a Stopwatch time).</summary>
    public List<string> SilentForDashboardSince(IEnumerable<ClusterDevice> devices, long since) =>
        [.. devices.Select(d => d.Device.Topic).Where(t => !_lastLive.TryGetValue(t, out var at) || at < since)];

    private async Task<MqttClientConnection> ConnectKeptAsync(NodeProcess node, string key, bool cleanStart, CancellationToken ct) =>
        await MqttClientConnection.ConnectAsync(
            new MqttClientOptions("127.0.0.1", node.MqttPort, _keptClientId)
            {
                UserName = "operator",
                Password = key,
                CleanStart = cleanStart,
                SessionExpirySeconds = Expiry,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
            OnKept, ct);

    private void OnKept(PublishPacket message)
    {
        using var body = JsonDocument.Parse(message.Payload);
        _kept.TryAdd((message.Topic, body.RootElement.GetProperty("values").GetProperty("seq").GetInt32()), 0);
    }

    private async Task KeepAsync(MqttClientConnection first, NodeProcess node, string key)
    {
        var connection = first;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await connection.Completion.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception)
            {
                // The connection ended with an error: resumed below like any other end.
            }

            await connection.DisposeAsync();
            if (await ResumeAsync(node, key) is not { } resumed)
            {
                return;
            }

            connection = resumed;
        }

        await connection.DisposeAsync();
    }

    /// <summary>Connects again with the kept session until the node accepts it; null once stopping.</summary>
    private async Task<MqttClientConnection?> ResumeAsync(NodeProcess node, string key)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var connection = await ConnectKeptAsync(node, key, cleanStart: false, _stop.Token);
                Interlocked.Increment(ref _resumes);
                return connection;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MqttConnectException or TimeoutException
                or OperationCanceledException)
            {
                // Refused or cut while the node cannot keep the session (its broker or database is away): again shortly.
                await Task.Delay(200, CancellationToken.None);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_keeping is not null)
        {
            await _keeping;
        }

        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }

        _stop.Dispose();
    }
}
