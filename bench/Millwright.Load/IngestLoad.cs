using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Millwright.Api;
using Millwright.Features.ApiKeys;
using Millwright.Features.DeviceCredentials;
using Millwright.Features.PlantFiles;
using Millwright.Features.Telemetry;
using Millwright.Features.Tenants;
using Millwright.Hosting;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Bench;

/// <summary>
/// <c>millwright bench ingest</c>: the whole platform in this process on a fresh store, and a load generator
/// that sends QoS 1 JSON telemetry over MQTT as machines do. Counts only points whose PUBACK arrived (the
/// platform acknowledges after the commit), then checkpoints and measures the store's size on disk.
/// </summary>
internal static class IngestLoad
{
    public sealed record Settings(string Store, string? Postgres, TimeSpan Duration, int Devices, int Tags, int Samples, int Window, double? Rate, bool Live, bool Anomalies = true);

    public static async Task<string> RunAsync(Settings settings, Action<string> progress, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("mw-bench-ingest-").FullName;
        var fresh = settings.Store == "postgres" ? await FreshPostgres.CreateAsync(settings.Postgres!, ct) : null;
        try
        {
            var store = new StoreOptions(directory, fresh?.ConnectionString);
            await using var database = await store.OpenAsync(ct);
            var (credentials, viewerKey, siteId) = await ProvisionAsync(database, settings, ct);
            var options = new ServeOptions(new IPEndPoint(IPAddress.Loopback, 0), store) { Mqtt = new IPEndPoint(IPAddress.Loopback, 0), Anomalies = new() { Enabled = settings.Anomalies } };
            await using var app = MillwrightApp.Build(options, database);
            await app.StartAsync(ct);
            var mqtt = app.Services.GetRequiredService<Features.Connectivity.MqttListener>().Endpoints[0];
            var baseline = await StorageLoad.SizeAsync(database, directory, ct);
            progress($"bench ingest: {settings.Store}, {settings.Devices} devices × {settings.Tags} tags × {settings.Samples} samples per message, window {settings.Window}; connecting");

            var watcher = settings.Live
                ? await LiveWatcher.ConnectAsync(new Uri(app.Urls.Single()), viewerKey, siteId, ct)
                : null;
            var result = await LoadAsync(mqtt, credentials, settings, watcher, progress, ct);
            var latest = await TimeLatestAsync(new Uri(app.Urls.Single()), viewerKey, siteId, settings.Devices, ct);
            var storage = app.Services.GetRequiredService<TelemetryStorage>();
            await storage.Store.CheckpointAsync(ct);
            var size = await StorageLoad.SizeAsync(database, directory, ct);
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var live = watcher?.Figures() is { } f
                ? string.Create(CultureInfo.InvariantCulture, $"; live feed: publish → WebSocket p50 {f.P50:F0} ms, p99 {f.P99:F0} ms, max {f.Max:F0} ms ({f.Count:N0} changes)")
                    + "; where the time went: " + watcher.Stages()
                : "";
            if (watcher is not null)
            {
                // Closed before the host stops: it would wait for the open WebSocket request.
                await watcher.DisposeAsync();
            }

            await app.StopAsync(ct);

            return string.Create(CultureInfo.InvariantCulture,
                $"ingest {settings.Store}: {result.Points / result.Seconds:N0} points/s acknowledged and durable ({result.Points:N0} points in {result.Seconds:F1} s, {result.Refused} refused); "
                + $"{(double)(size.Live - baseline.Live) / Math.Max(1, result.Points):F2} B/point on disk ({(double)(size.File - baseline.File) / Math.Max(1, result.Points):F2} by file size, short runs carry the emptied ingest log); CPU {result.Cpu:P0} of one core (platform and load generator); peak memory {process.PeakWorkingSet64 / (1 << 20):N0} MiB; {latest}{live}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            if (fresh is not null)
            {
                await fresh.DisposeAsync();
            }
        }
    }

    private sealed record LoadResult(long Points, long Refused, double Seconds, double Cpu);

    private static async Task<LoadResult> LoadAsync(IPEndPoint mqtt, IReadOnlyList<(string Machine, string User, string Secret)> devices, Settings settings,
        LiveWatcher? watcher, Action<string> progress, CancellationToken ct)
    {
        var clients = new List<MqttClientConnection>();
        foreach (var chunk in devices.Chunk(50))
        {
            clients.AddRange(await Task.WhenAll(chunk.Select(d => MqttClientConnection.ConnectAsync(
                new MqttClientOptions(mqtt.Address.ToString(), mqtt.Port, d.Machine) { UserName = d.User, Password = d.Secret }, null, ct))));
        }

        long acked = 0, refused = 0;
        var pointsPerMessage = settings.Tags * settings.Samples;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;

        // Timestamps start two days back and advance a second per sample: 1 Hz history, in order, inside
        // the late window however fast the generator runs.
        var start = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds() * 1000;
        var interval = settings.Rate is { } rate ? TimeSpan.FromSeconds(settings.Devices * pointsPerMessage / rate) : TimeSpan.Zero;
        var tasks = clients.Select((client, index) => Task.Run(async () =>
        {
            var topic = $"mw/bench/{devices[index].Machine}/telemetry";
            var machine = new BenchMachine(index, settings.Tags, start, settings.Live);
            var window = new Queue<Task<ReasonCode>>();
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            var next = Stopwatch.GetTimestamp();
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    buffer.ResetWrittenCount();
                    machine.Write(buffer, settings.Samples);
                    window.Enqueue(client.PublishAsync(topic, buffer.WrittenMemory.ToArray(), QualityOfService.AtLeastOnce, cancellationToken: stop.Token).AsTask());
                    while (window.Count >= settings.Window || (window.Count > 0 && window.Peek().IsCompleted))
                    {
                        Count(await window.Dequeue());
                    }

                    if (interval > TimeSpan.Zero)
                    {
                        next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, stop.Token);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Time is up; what is still in flight is not counted.
            }
        }, CancellationToken.None)).ToList();

        void Count(ReasonCode code)
        {
            if (code == ReasonCode.Success)
            {
                Interlocked.Add(ref acked, pointsPerMessage);
            }
            else
            {
                Interlocked.Increment(ref refused);
            }
        }

        var reported = 0L;
        _ = Task.Delay(TimeSpan.FromSeconds(5), ct).ContinueWith(_ => watcher?.Record(), TaskScheduler.Default);
        while (clock.Elapsed < settings.Duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            var now = Interlocked.Read(ref acked);
            progress(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds,5:F0} s  {now:N0} points acknowledged ({(now - reported) / 5.0:N0}/s)"));
            reported = now;
        }

        stop.Cancel();
        var seconds = clock.Elapsed.TotalSeconds;
        var points = Interlocked.Read(ref acked);
        var cpuShare = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / seconds;
        await Task.WhenAll(tasks);
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        return new LoadResult(points, Interlocked.Read(ref refused), seconds, cpuShare);
    }

    /// <summary>
    /// GET /api/v1/latest for the whole bench site (every machine's twin), 200 times after two warm-ups, in each answer's
    /// shape: the full JSON, the compact one, and the compact one since its own version (nothing changed: the quiet
    /// site's poll); then the compact one with curl, a client we did not write.
    /// </summary>
    private static async Task<string> TimeLatestAsync(Uri http, string key, long siteId, int machines, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = http };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var site = $"/api/v1/latest?site={siteId}";
        var compact = await client.GetStringAsync(site + "&format=compact", ct);
        var version = System.Text.Json.Nodes.JsonNode.Parse(compact)!["version"]!.GetValue<long>();
        var figures = new List<string>();
        foreach (var (label, path) in new[] { ("full", site), ("compact", site + "&format=compact"), ("compact since", $"{site}&format=compact&since={version}") })
        {
            var times = new List<double>();
            long bytes = 0;
            for (var run = 0; run < 202; run++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(path, ct);
                bytes = (await response.Content.ReadAsByteArrayAsync(ct)).Length;
                response.EnsureSuccessStatusCode();
                if (run >= 2)
                {
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            figures.Add(Percentiles(label, times, bytes));
        }

        if (await CurlTimesAsync(new Uri(http, site + "&format=compact"), key, 100, ct) is { } curl)
        {
            figures.Add(Percentiles("compact by curl", curl, compact.Length));
        }

        return string.Create(CultureInfo.InvariantCulture, $"latest values of {machines:N0} machines over REST: {string.Join("; ", figures)}");
    }

    private static string Percentiles(string label, List<double> times, long bytes)
    {
        times.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"{label} p50 {times[times.Count / 2]:F2} ms, p99 {times[(int)(times.Count * 0.99) - 1]:F2} ms ({bytes:N0} B)");
    }

    /// <summary>curl's own total time per request (ms), each a new process and connection; null when curl is missing.</summary>
    private static async Task<List<double>?> CurlTimesAsync(Uri url, string key, int runs, CancellationToken ct)
    {
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-s", "-o", "/dev/null", "-w", "%{time_total}", "-H", $"X-Api-Key: {key}", url.ToString() })
            {
                start.ArgumentList.Add(argument);
            }

            try
            {
                using var curl = Process.Start(start)!;
                var output = await curl.StandardOutput.ReadToEndAsync(ct);
                await curl.WaitForExitAsync(ct);
                times.Add(double.Parse(output, CultureInfo.InvariantCulture) * 1000);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        return times;
    }

    /// <summary>A tenant "bench" with one machine type, one line of machines, a device credential each, and a viewer key.</summary>
    private static async Task<(IReadOnlyList<(string Machine, string User, string Secret)> Devices, string ViewerKey, long SiteId)> ProvisionAsync(
        IDatabase database, Settings settings, CancellationToken ct)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("tenant: bench\nname: Benchmark\nmachineTypes:\n  - name: bench machine\n    tags:");
        for (var t = 0; t < settings.Tags; t++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"      - {{ {BenchMachine.Definition(t)} }}");
        }

        if (settings.Live)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"      - {{ name: {BenchMachine.SentTag}, dataType: float }}");
        }

        yaml.AppendLine("sites:\n  - name: Bench site\n    areas:\n      - name: Bench area\n        lines:\n          - name: Bench line\n            machines:");
        for (var d = 0; d < settings.Devices; d++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"              - {{ name: m{d:D5}, type: bench machine }}");
        }

        var (devices, key, tenant) = await BenchTenant.ProvisionAsync(database, "bench", yaml.ToString(), "bench watcher", ct);
        await using var connection = await database.OpenAsync(ct);
        var site = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT id FROM sites WHERE tenant_id = @tenant", new { tenant }, cancellationToken: ct));
        return (devices, key, site);
    }
}
