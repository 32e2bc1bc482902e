using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;

namespace Millwright.Bench;

/// <summary>
/// The MQTT load generator, the same for every broker under test: fan-in throughput, publish-to-deliver
/// latency at a set rate, and many idle connections. It reports its own CPU use beside each figure, so that
/// a reader can see it was not the bottleneck.
/// </summary>
internal static class MqttLoad
{
    /// <summary>The user name and password every client of this run logs in with (none: anonymous).</summary>
    public static (string? User, string? Password) Login { get; set; }

    private static MqttClientOptions Options(string host, int port, string clientId) =>
        new(host, port, clientId) { UserName = Login.User, Password = Login.Password };

    public static async Task<string> FanInAsync(string host, int port, int publishers, QualityOfService qos, int payloadBytes, TimeSpan duration, CancellationToken ct)
    {
        long received = 0;
        var run = $"b{Environment.ProcessId}-{Stopwatch.GetTimestamp() % 100000}";
        await using var subscriber = await MqttClientConnection.ConnectAsync(Options(host, port, run + "-sub"), _ => Interlocked.Increment(ref received), ct);
        await subscriber.SubscribeAsync("#", qos, ct);
        var clients = await ConnectManyAsync(host, port, run, publishers, ct);
        var payload = new byte[payloadBytes];
        Random.Shared.NextBytes(payload);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var startCount = Interlocked.Read(ref received);
        var clock = Stopwatch.StartNew();
        stop.CancelAfter(duration);
        var tasks = clients.Select((c, i) => PublishUntilAsync(c, $"bench/{i}/data", payload, qos, stop.Token)).ToList();
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        var delivered = Interlocked.Read(ref received) - startCount;
        var generatorCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / elapsed;
        await DisposeAllAsync(clients);
        return string.Create(CultureInfo.InvariantCulture,
            $"fan-in qos{(int)qos}: {delivered / elapsed:F0} msg/s delivered ({publishers} publishers, {payloadBytes} B, {elapsed:F1} s, sent {tasks.Sum(t => t.Result)}); load generator CPU {generatorCpu:P0} of one core");
    }

    public static async Task<string> LatencyAsync(string host, int port, int publishers, double rate, TimeSpan duration, CancellationToken ct)
    {
        var latencies = new List<double>(1 << 20);
        var recording = false;
        var run = $"l{Environment.ProcessId}-{Stopwatch.GetTimestamp() % 100000}";
        await using var subscriber = await MqttClientConnection.ConnectAsync(Options(host, port, run + "-sub"), message =>
        {
            var sent = BitConverter.ToInt64(message.Payload.Span);
            if (Volatile.Read(ref recording))
            {
                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
            }
        }, ct);
        await subscriber.SubscribeAsync("#", QualityOfService.AtMostOnce, ct);
        var clients = await ConnectManyAsync(host, port, run, publishers, ct);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(publishers / rate);

        // The first seconds (JIT tiering, pool growth on both sides) are load but not measurement.
        var warmUp = TimeSpan.FromSeconds(Math.Min(3, duration.TotalSeconds / 4));
        _ = Task.Delay(warmUp, ct).ContinueWith(_ => Volatile.Write(ref recording, true), TaskScheduler.Default);
        duration += warmUp;
        var tasks = clients.Select(async (c, i) =>
        {
            var payload = new byte[100];
            var next = Stopwatch.GetTimestamp();
            while (clock.Elapsed < duration)
            {
                BitConverter.TryWriteBytes(payload, Stopwatch.GetTimestamp());
                await c.PublishAsync($"lat/{i}", payload.ToArray(), QualityOfService.AtMostOnce, cancellationToken: ct);
                next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
            }
        }).ToList();
        await Task.WhenAll(tasks);
        await Task.Delay(500, ct);
        var generatorCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds;
        await DisposeAllAsync(clients);
        double[] sorted;
        lock (latencies)
        {
            sorted = [.. latencies.Order()];
        }

        if (sorted.Length == 0)
        {
            return "latency: nothing delivered";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"latency at {rate:F0} msg/s: p50 {sorted[sorted.Length / 2]:F2} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F2} ms, max {sorted[^1]:F2} ms ({sorted.Length} samples); load generator CPU {generatorCpu:P0} of one core");
    }

    /// <summary>Opens idle connections with a 30 s keep-alive and holds them until <paramref name="hold"/> ends.</summary>
    public static async Task<string> IdleAsync(string host, int port, int connections, TimeSpan hold, Action<string> progress, CancellationToken ct)
    {
        var run = $"i{Environment.ProcessId}";
        var clients = new List<MqttClientConnection>(connections);
        for (var i = 0; i < connections; i += 100)
        {
            var batch = await Task.WhenAll(Enumerable.Range(i, Math.Min(100, connections - i)).Select(n =>
                MqttClientConnection.ConnectAsync(Options(host, port, $"{run}-{n}") with { KeepAliveSeconds = 30 }, null, ct)));
            clients.AddRange(batch);
            if (clients.Count % 1000 == 0)
            {
                progress($"{clients.Count} connected");
            }
        }

        progress($"all {clients.Count} connected; holding {hold.TotalSeconds:F0} s");
        await Task.Delay(hold, ct);
        await DisposeAllAsync(clients);
        return $"idle: {connections} connections held";
    }

    /// <summary>
    /// Holds many authenticated connections from one local address, of which the first <see cref="RegionSettings.Publishing"/>
    /// publish at QoS 1 once a second each; reports how many connected and the publish → PUBACK latency. Connecting
    /// stops at the first batch of 100 that fails entirely (the broker is full or out of descriptors), and says why.
    /// </summary>
    public static async Task<string> RegionAsync(RegionSettings settings, Action<string> progress, CancellationToken ct)
    {
        var run = $"r{Environment.ProcessId}";
        var clients = new List<MqttClientConnection>(settings.Connections);
        string? stoppedBy = null;
        var failed = 0;
        for (var i = 0; i < settings.Connections && stoppedBy is null; i += 100)
        {
            var batch = await Task.WhenAll(Enumerable.Range(i, Math.Min(100, settings.Connections - i)).Select(async n =>
            {
                try
                {
                    var options = Options(settings.Host, settings.Port, $"{run}-{n}") with { KeepAliveSeconds = 30, LocalAddress = settings.Source };
                    return ((MqttClientConnection?)await MqttClientConnection.ConnectAsync(options, null, ct), (string?)null);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or MqttConnectException && !ct.IsCancellationRequested)
                {
                    return ((MqttClientConnection?)null, (string?)$"{e.GetType().Name}: {e.Message}");
                }
            }));
            clients.AddRange(batch.Where(b => b.Item1 is not null).Select(b => b.Item1!));
            failed += batch.Count(b => b.Item1 is null);
            if (batch.All(b => b.Item1 is null))
            {
                stoppedBy = batch[0].Item2;
            }

            if (clients.Count % 5000 == 0)
            {
                progress($"{clients.Count} connected");
            }
        }

        progress($"all {clients.Count} connected of {settings.Connections}{(stoppedBy is null ? "" : $" (stopped after {failed} failed: {stoppedBy})")}; {Math.Min(settings.Publishing, clients.Count)} publishing for {settings.Hold.TotalSeconds:F0} s");
        var latencies = new List<double>(settings.Publishing * (int)settings.Hold.TotalSeconds);
        var missed = 0L;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var publishers = clients.Take(settings.Publishing).Select(async (client, n) =>
        {
            // Spread over the second, as independent devices are; each keeps its own 1 Hz beat.
            var next = Stopwatch.GetTimestamp() + (long)(Random.Shared.NextDouble() * Stopwatch.Frequency);
            var payload = new byte[16];
            var mine = new List<double>((int)settings.Hold.TotalSeconds + 1);
            var late = 0;
            try
            {
                while (clock.Elapsed < settings.Hold)
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, ct);
                    }
                    else if (wait < -TimeSpan.FromSeconds(1))
                    {
                        // More than a beat behind (the previous PUBACK took that long): that beat is lost, not sent twice.
                        late++;
                        next = Stopwatch.GetTimestamp();
                    }

                    var sent = Stopwatch.GetTimestamp();
                    await client.PublishAsync($"region/{run}/{n}", payload, QualityOfService.AtLeastOnce, cancellationToken: ct);
                    if (clock.Elapsed > settings.WarmUp)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    }

                    next += Stopwatch.Frequency;
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The connection ended under load: counted below as fewer samples than beats.
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
                missed += late;
            }
        }).ToList();
        if (publishers.Count == 0)
        {
            await Task.Delay(settings.Hold, ct);
        }

        await Task.WhenAll(publishers);
        var generatorCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds;
        var closed = clients.Count(c => c.Completion.IsCompleted);
        await DisposeAllAsync(clients);
        var sorted = latencies.Order().ToArray();
        var latency = sorted.Length == 0 ? "no publishes measured" : string.Create(CultureInfo.InvariantCulture,
            $"publish -> PUBACK p50 {sorted[sorted.Length / 2]:F2} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F2} ms, max {sorted[^1]:F2} ms ({sorted.Length} samples, {missed} beats missed)");
        return string.Create(CultureInfo.InvariantCulture,
            $"region from {settings.Source?.ToString() ?? "any"}: {clients.Count} of {settings.Connections} connected{(stoppedBy is null ? "" : $", stopped after {failed} failed: {stoppedBy}")}; {closed} closed by the end; {latency}; load generator CPU {generatorCpu:P0} of one core");
    }

    private static async Task<List<MqttClientConnection>> ConnectManyAsync(string host, int port, string run, int count, CancellationToken ct) =>
        [.. await Task.WhenAll(Enumerable.Range(0, count).Select(i => MqttClientConnection.ConnectAsync(Options(host, port, $"{run}-p{i}"), null, ct)))];

    private static async Task<long> PublishUntilAsync(MqttClientConnection client, string topic, byte[] payload, QualityOfService qos, CancellationToken stop)
    {
        long sent = 0;
        try
        {
            if (qos == QualityOfService.AtMostOnce)
            {
                while (!stop.IsCancellationRequested)
                {
                    await client.PublishAsync(topic, payload, qos, cancellationToken: stop);
                    sent++;
                }
            }
            else
            {
                // A window of outstanding QoS 1 publishes per publisher, as real devices pipeline.
                var window = new Queue<Task<ReasonCode>>();
                while (!stop.IsCancellationRequested)
                {
                    window.Enqueue(client.PublishAsync(topic, payload, qos, cancellationToken: stop).AsTask());
                    if (window.Count >= 10)
                    {
                        await window.Dequeue();
                        sent++;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Time is up.
        }

        return sent;
    }

    private static async Task DisposeAllAsync(IEnumerable<MqttClientConnection> clients) =>
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
}

/// <summary>One region loader: where to connect, from which local address, how many, how many of them publish.</summary>
internal sealed record RegionSettings(string Host, int Port, IPAddress? Source, int Connections, int Publishing, TimeSpan Hold)
{
    /// <summary>Publishes in the first seconds are sent but not measured (JIT, pools, the broker's first wave).</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(10);
}
