using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Testing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Telemetry;

/// <summary>
/// The promise behind every PUBACK: a value the platform acknowledged survives a crash at any moment. Machines
/// publish numbered QoS 1 telemetry into the real program; it is killed with SIGKILL mid-load, started again on
/// the same store, and every acknowledged point must be there, once.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Machines = 3;
    private const int SamplesPerMessage = 10;
    private readonly string _data = Directory.CreateTempSubdirectory("mw-crash-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public Task Every_acknowledged_point_survives_a_kill_on_sqlite() => KillAndCountAsync(null);

    [Fact]
    public async Task Every_acknowledged_point_survives_a_kill_on_postgres()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await KillAndCountAsync(database.ConnectionString);
    }

    private async Task KillAndCountAsync(string? postgres)
    {
        var start = DateTimeOffset.UtcNow.AddHours(-6).ToUnixTimeSeconds() * 1000;
        var acknowledged = new ConcurrentDictionary<(int Machine, long Ts), bool>();
        (string Name, long Id, string User, string Secret)[] devices;
        string admin;

        await using (var first = await ServeProcess.StartAsync(_data, postgres))
        {
            (admin, devices) = await ProvisionAsync(first);
            using var stop = new CancellationTokenSource();
            var publishers = devices.Select((d, i) => PublishAsync(first.MqttPort, d, i, start, acknowledged, stop.Token)).ToList();

            // Kill while the load runs: some batches are committed, some in flight, some not yet read.
            await Eventually.TrueAsync(() => acknowledged.Count >= 3000, "3,000 acknowledged messages before the kill", TimeSpan.FromMinutes(2));

            await first.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(publishers);
        }

        Assert.True(acknowledged.Count >= 3000, $"only {acknowledged.Count} points were acknowledged before the kill");
        await using var second = await ServeProcess.StartAsync(_data, postgres);
        using var client = second.Client(admin);
        for (var m = 0; m < devices.Length; m++)
        {
            var stored = await ReadAllAsync(client, devices[m].Id, start);
            var missing = acknowledged.Keys.Where(k => k.Machine == m && !stored.Contains(k.Ts)).ToList();
            Assert.True(missing.Count == 0, $"machine {m}: {missing.Count} acknowledged points are missing after the restart, e.g. ts {missing.FirstOrDefault().Ts}");

            // The twin is rebuilt from the store: the latest value is the newest stored point.
            var latest = (await client.GetJsonAsync($"/api/v1/machines/{devices[m].Id}/latest"))["values"]!.AsArray().Single();
            Assert.Equal(stored.Max(), latest!["ts"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        }
    }

    private static async Task<(string Admin, (string, long, string, string)[] Devices)> ProvisionAsync(ServeProcess serve)
    {
        using var platform = serve.Client(serve.PlatformKey!);
        var tenant = await platform.PostJsonAsync("/api/v1/tenants", new { slug = "crash", name = "Crash test" }, HttpStatusCode.Created);
        var key = (await platform.PostJsonAsync($"/api/v1/tenants/{tenant.Id()}/api-keys", new { name = "admin", role = "tenant_admin", reason = "crash recovery test" }, HttpStatusCode.Created))["key"]!.GetValue<string>();
        using var admin = serve.Client(key);
        var site = await admin.PostJsonAsync("/api/v1/sites", new { name = "Site", timeZone = "UTC" }, HttpStatusCode.Created);
        var area = await admin.PostJsonAsync("/api/v1/areas", new { siteId = site.Id(), name = "Area" }, HttpStatusCode.Created);
        var line = await admin.PostJsonAsync("/api/v1/lines", new { areaId = area.Id(), name = "Line" }, HttpStatusCode.Created);
        var type = await admin.PostJsonAsync("/api/v1/machine-types", new
        {
            name = "Counter machine",
            tags = new object[] { new { name = "seq", dataType = "int", kind = "counter" } },
        }, HttpStatusCode.Created);
        var devices = new List<(string, long, string, string)>();
        for (var i = 0; i < Machines; i++)
        {
            var machine = await admin.PostJsonAsync("/api/v1/machines", new { lineId = line.Id(), typeId = type.Id(), name = $"m{i}" }, HttpStatusCode.Created);
            var credential = await admin.PostJsonAsync($"/api/v1/machines/{machine.Id()}/credentials", new { }, HttpStatusCode.Created);
            devices.Add(($"m{i}", machine.Id(), credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>()));
        }

        return (key, devices.ToArray());
    }

    /// <summary>Publishes numbered samples (a second apart) with 16 QoS 1 messages in flight, noting each acknowledged one.</summary>
    private static async Task PublishAsync(int port, (string Name, long Id, string User, string Secret) device, int index, long start,
        ConcurrentDictionary<(int, long), bool> acknowledged, CancellationToken stop)
    {
        var options = new MqttClientOptions("127.0.0.1", port, device.Name) { UserName = device.User, Password = device.Secret };
        await using var client = await MqttClientConnection.ConnectAsync(options, null, stop);
        var window = new Queue<(long First, Task<ReasonCode> Ack)>();
        var seq = 0L;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var first = start + (seq * 1000);
                var json = new StringBuilder("[");
                for (var s = 0; s < SamplesPerMessage; s++, seq++)
                {
                    json.Append(CultureInfo.InvariantCulture, $"{(s > 0 ? "," : "")}{{\"ts\":{start + (seq * 1000)},\"values\":{{\"seq\":{seq}}}}}");
                }

                var payload = Encoding.UTF8.GetBytes(json.Append(']').ToString());
                window.Enqueue((first, client.PublishAsync($"mw/crash/{device.Name}/telemetry", payload, QualityOfService.AtLeastOnce, cancellationToken: stop).AsTask()));
                if (window.Count >= 16)
                {
                    var sent = window.Dequeue();
                    await sent.Ack;
                    Note(sent);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException or MqttProtocolException)
        {
            // The platform died under us: what was acknowledged is noted, the rest never was.
        }

        void Note((long First, Task<ReasonCode> Ack) sent)
        {
            if (sent.Ack.Result == ReasonCode.Success)
            {
                for (var s = 0; s < SamplesPerMessage; s++)
                {
                    acknowledged[(index, sent.First + (s * 1000))] = true;
                }
            }
        }

        // Acknowledgements that arrived before the connection dropped count too.
        foreach (var sent in window.Where(w => w.Ack.IsCompletedSuccessfully))
        {
            Note(sent);
        }
    }

    private static async Task<HashSet<long>> ReadAllAsync(HttpClient client, long machine, long start)
    {
        var stored = new List<long>();
        var from = start.ToString(CultureInfo.InvariantCulture);
        while (true)
        {
            var page = await client.GetJsonAsync($"/api/v1/machines/{machine}/series/seq/points?from={from}&limit=100000");
            stored.AddRange(page["points"]!.AsArray().Select(p => p!["ts"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds()));
            if (page["next"] is not { } next)
            {
                var set = stored.ToHashSet();
                Assert.Equal(stored.Count, set.Count);
                return set;
            }

            from = Uri.EscapeDataString(next.GetValue<string>());
        }
    }
}
