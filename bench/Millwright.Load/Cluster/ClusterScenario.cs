using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Millwright.Hosting;
using Millwright.Storage.TimeSeries;

namespace Millwright.Bench.Cluster;

/// <summary>
/// The cluster scenario of issue 22: N node processes on one PostgreSQL and one RabbitMQ, devices spread over
/// them publishing QoS 1 points, then kill -9 of some nodes halfway (the ingest appender first, the hardest case);
/// the devices of a dead node find another. Afterwards every node is stopped and the store is read back: each
/// acknowledged point must be there exactly once.
/// </summary>
internal static class ClusterScenario
{
    /// <summary>What to run: <paramref name="Kill"/> nodes are killed at half time (0: none, a throughput run).</summary>
    internal sealed record Settings(int Nodes, int Kill, TimeSpan Duration, int Devices, double Rate, int Window)
    {
        /// <summary>Sending before the measured time: fresh nodes compile their code (JIT) and fill their pools meanwhile.</summary>
        public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(10);

        /// <summary>Instead of killing: the appender is frozen (SIGSTOP) this long at half time, then resumed (SIGCONT).</summary>
        public TimeSpan Pause { get; init; }

        /// <summary>Instead of a node: something the cluster stands on is restarted at half time (the broker, the database).</summary>
        public (string What, Func<Stage, CancellationToken, Task> Restart)? Trouble { get; init; }

        /// <summary>After a fault or restart, the devices send at least this long more (a slow recovery does not end the run).</summary>
        public TimeSpan AfterFault { get; init; }

        /// <summary>Called once the devices exist, just before they start sending (a test adds its subscribers here).</summary>
        public Func<Stage, CancellationToken, Task>? Started { get; init; }

        /// <summary>Called once the devices saw their last acknowledgements, while the nodes still run (a test checks its subscribers here).</summary>
        public Func<Stage, CancellationToken, Task>? Drained { get; init; }
    }

    /// <summary>The running scenario as its hooks see it: the nodes, the tenant (slug and an admin key) and the devices.</summary>
    internal sealed record Stage(IReadOnlyList<NodeProcess> Nodes, string Slug, string TenantKey, IReadOnlyList<ClusterDevice> Devices);

    public static async Task<ClusterOutcome> RunAsync(Settings settings, string database, Uri amqp, string directory, Action<string> progress, CancellationToken ct)
    {
        var cluster = "bench" + Guid.NewGuid().ToString("N")[..8];
        var nodes = new List<NodeProcess>();
        try
        {
            for (var i = 0; i < settings.Nodes; i++)
            {
                nodes.Add(await NodeProcess.StartAsync(i, cluster, database, amqp, directory, ct));
                progress($"node {i} serving (pid {nodes[i].Pid}, MQTT {nodes[i].MqttPort})");
            }

            var platformKey = (await File.ReadAllTextAsync(Path.Combine(directory, "node0", PlatformBootstrap.KeyFileName), ct)).Trim();
            var (slug, tenantKey, identities) = await ProvisionAsync(nodes[0].Api, platformKey, settings.Devices, ct);
            var ports = nodes.Select(n => n.MqttPort).ToList();
            var devices = identities.Select((d, i) => new ClusterDevice(d, ports, i % nodes.Count, settings.Rate, settings.Window)).ToList();
            var stage = new Stage(nodes, slug, tenantKey, devices);
            if (settings.Started is { } started)
            {
                await started(stage, ct);
            }

            progress($"{devices.Count} devices over {nodes.Count} nodes, {(settings.Rate > 0 ? $"{settings.Rate} points/s each" : "flat out")}, for {settings.WarmUp.TotalSeconds:F0} s of warm-up and {settings.Duration.TotalSeconds:F0} s measured");

            using var leases = new LeaseWatch(database, cluster);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var startedAt = Stopwatch.GetTimestamp();
            var sending = devices.Select(d => Task.Run(() => d.SendAsync(stop.Token), CancellationToken.None)).ToList();

            double? takeover = null;
            long killedAt = 0, recoveredAt = 0;
            if (settings.Trouble is var (what, restart))
            {
                await Task.Delay(settings.WarmUp + (settings.Duration / 2), ct);
                killedAt = Stopwatch.GetTimestamp();
                progress($"restarting {what}");
                await restart(stage, ct);
                recoveredAt = Stopwatch.GetTimestamp();
                progress($"{what} is back after {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:F1} s");
                await RestOfRunAsync(settings, startedAt, ct);
            }
            else if (settings.Kill > 0 || settings.Pause > TimeSpan.Zero)
            {
                await Task.Delay(settings.WarmUp + (settings.Duration / 2), ct);
                var victims = await ChooseVictimsAsync(leases, nodes, Math.Max(1, settings.Kill), ct);
                var ids = await leases.NodeIdsAsync(victims.Select(v => v.Pid), ct);
                killedAt = Stopwatch.GetTimestamp();
                if (settings.Pause > TimeSpan.Zero)
                {
                    await victims[0].FreezeAsync(true);
                    progress($"froze node {victims[0].Index} (pid {victims[0].Pid}) with SIGSTOP for {settings.Pause.TotalSeconds:F0} s");
                    var frozenTakeover = leases.AwaitTakeoverAsync(ids, killedAt, settings.Pause, ct);
                    await Task.Delay(settings.Pause, ct);
                    takeover = await frozenTakeover;
                    await victims[0].FreezeAsync(false);
                    recoveredAt = Stopwatch.GetTimestamp();
                    progress($"resumed node {victims[0].Index} with SIGCONT");
                }
                else
                {
                    foreach (var victim in victims)
                    {
                        victim.Kill();
                        progress($"killed node {victim.Index} (pid {victim.Pid}) with SIGKILL");
                    }

                    takeover = await leases.AwaitTakeoverAsync(ids, killedAt, TimeSpan.FromSeconds(60), ct);
                    recoveredAt = Stopwatch.GetTimestamp();
                }

                progress(takeover is { } t ? $"every lease of the stopped node held by a live one after {t:F1} s" : "no takeover in time");
                await RestOfRunAsync(settings, startedAt, ct);
            }
            else
            {
                await Task.Delay(settings.WarmUp + settings.Duration, ct);
            }

            await stop.CancelAsync();
            await Task.WhenAll(sending);
            var sendingTime = Stopwatch.GetElapsedTime(startedAt);
            progress("sending stopped; waiting for the last acknowledgements");
            await Task.WhenAll(devices.Select(d => d.DrainAsync(TimeSpan.FromSeconds(60))));
            if (settings.Drained is { } drained)
            {
                await drained(stage, ct);
            }

            await Task.WhenAll(devices.Select(d => d.CloseAsync()));

            foreach (var node in nodes.Where(n => n.Alive))
            {
                await node.StopAsync();
            }

            progress("nodes stopped; reading the store back");
            var (stored, duplicates, lost) = await ReadBackAsync(database, directory, devices, ct);
            return new ClusterOutcome(
                cluster,
                devices.Sum(d => d.Sent), devices.Sum(d => d.Acked.Count), stored, lost, duplicates, takeover,
                devices.Sum(d => d.Unacked), devices.Sum(d => d.Refused), devices.Sum(d => d.Reconnects),
                sendingTime, killedAt, recoveredAt, devices.SelectMany(d => d.Latencies).ToList(), startedAt, startedAt + (long)(settings.WarmUp.TotalSeconds * Stopwatch.Frequency))
            {
                RefusedWith = devices.SelectMany(d => d.RefusedWith).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value)),
            };
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task RestOfRunAsync(Settings settings, long started, CancellationToken ct)
    {
        var left = settings.WarmUp + settings.Duration - Stopwatch.GetElapsedTime(started);
        if (left < settings.AfterFault)
        {
            left = settings.AfterFault;
        }

        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, ct);
        }
    }

    /// <summary>The node holding the ingest lease (the store's appender) first, then others.</summary>
    private static async Task<List<NodeProcess>> ChooseVictimsAsync(LeaseWatch leases, List<NodeProcess> nodes, int count, CancellationToken ct)
    {
        var appender = await leases.AppenderPidAsync(ct);
        return nodes.OrderBy(n => n.Pid == appender ? 0 : 1).ThenByDescending(n => n.Index).Take(count).ToList();
    }

    /// <summary>A tenant (its slug and an admin key), a machine per device and its credential, through the first node's REST API.</summary>
    private static async Task<(string Slug, string Key, List<ClusterDevice.Identity> Devices)> ProvisionAsync(Uri api, string platformKey, int devices, CancellationToken ct)
    {
        using var platform = Client(api, platformKey);
        var slug = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var tenant = await PostAsync(platform, "/api/v1/tenants", new { slug, name = slug }, ct);
        var key = (await PostAsync(platform, $"/api/v1/tenants/{tenant["id"]}/api-keys", new { name = "bench", role = "tenant_admin", reason = "cluster benchmark" }, ct))["key"]!.GetValue<string>();
        using var client = Client(api, key);
        var site = await PostAsync(client, "/api/v1/sites", new { name = "site", timeZone = "UTC" }, ct);
        var area = await PostAsync(client, "/api/v1/areas", new { siteId = site["id"]!.GetValue<long>(), name = "area" }, ct);
        var line = await PostAsync(client, "/api/v1/lines", new { areaId = area["id"]!.GetValue<long>(), name = "line" }, ct);
        var type = await PostAsync(client, "/api/v1/machine-types", new { name = "counter", tags = new object[] { new { name = "seq", dataType = "float" } } }, ct);
        var identities = new List<ClusterDevice.Identity>();
        for (var i = 0; i < devices; i++)
        {
            var name = $"m{i}";
            var machine = await PostAsync(client, "/api/v1/machines", new { lineId = line["id"]!.GetValue<long>(), typeId = type["id"]!.GetValue<long>(), name }, ct);
            var id = machine["id"]!.GetValue<long>();
            var credential = await PostAsync(client, $"/api/v1/machines/{id}/credentials", new { }, ct);
            identities.Add(new ClusterDevice.Identity($"mw/{slug}/{name}/telemetry", credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), id)
            {
                TenantId = tenant["id"]!.GetValue<long>(),
            });
        }

        return (slug, key, identities);
    }

    /// <summary>
    /// Every device's series read from the store with all nodes stopped: stored = acknowledged or not, every point
    /// of the run found; duplicates = points beyond one per timestamp; lost = acknowledged points not found.
    /// </summary>
    private static async Task<(long Stored, long Duplicates, long Lost)> ReadBackAsync(string connectionString, string directory, List<ClusterDevice> devices, CancellationToken ct)
    {
        await using var database = await new StoreOptions(directory, connectionString).OpenAsync(ct);
        await using var store = await TimeSeriesStore.OpenAsync(database, new TimeSeriesOptions(), TimeProvider.System, ct);
        long stored = 0, duplicates = 0, lost = 0;
        foreach (var device in devices)
        {
            var acked = device.Acked.ToList();
            var series = new SeriesKey(device.Device.TenantId, device.Device.MachineId, "seq");
            var points = new List<TimePoint>();
            for (var from = 0L; ;)
            {
                var page = await store.ReadAsync(series, from, long.MaxValue, 10_000, ct);
                points.AddRange(page);
                if (page.Count < 10_000)
                {
                    break;
                }

                from = page[^1].Timestamp + 1;
            }

            var byTs = points.GroupBy(p => p.Timestamp).ToDictionary(g => g.Key, g => g.Select(p => p.Number).ToList());
            stored += byTs.Count;
            duplicates += points.Count - byTs.Count;
            lost += acked.Count(m => !byTs.TryGetValue(m.Ts, out var values) || !values.Contains(m.Seq));
        }

        return (stored, duplicates, lost);
    }

    private static HttpClient Client(Uri api, string key)
    {
        var client = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, string path, object body, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!
            : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
    }
}
