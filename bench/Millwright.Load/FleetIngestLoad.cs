using System.Diagnostics;
using System.Globalization;
using Millwright.Security;

namespace Millwright.Bench;

/// <summary>
/// <c>millwright bench fleet-ingest</c>: the whole platform in this process on a fresh store, a fleet of N machines
/// provisioned through its REST API (as <c>simulate --fleet</c> does) and reported through one gateway connection per
/// depot, each machine every report interval. After every machine has been born and reported once, and the gateways
/// have caught up with the reports the warm-up held back (every report sent within a second of its time for 15 s),
/// publish → stored (the PUBACK of a QoS 1 DDATA, sent once the values are committed) is measured for the given time; then, while the
/// fleet keeps reporting, the AEMP fleet snapshot: its first page, and every page one after another.
/// </summary>
internal static class FleetIngestLoad
{
    public sealed record Settings(string Store, string? Postgres, int Machines, TimeSpan Report, TimeSpan Duration, int Seed);

    public static async Task<string> RunAsync(Settings settings, Action<string> progress, CancellationToken ct)
    {
        await using var bench = await FleetBench.StartAsync(new FleetBench.Settings(settings.Store, settings.Postgres, settings.Machines, settings.Report, settings.Seed, Role.Operator), line => progress($"bench fleet-ingest: {line}"), ct);
        var fleet = bench.Fleet;
        fleet.Stats.Stored.Clear();
        var (reports, refusedBefore) = (fleet.Stats.Acknowledged, fleet.Stats.Refused);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var measured = Stopwatch.StartNew();
        while (measured.Elapsed < settings.Duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            progress($"bench fleet-ingest: {measured.Elapsed.TotalSeconds:F0} s: {fleet.StatusLine(0, TimeSpan.Zero)}");
        }

        var seconds = measured.Elapsed.TotalSeconds;
        var stored = fleet.Stats.Stored;
        var (p50, p99, max) = (stored.Percentile(0.5), stored.Percentile(0.99), stored.Percentile(1));
        var ingest = string.Create(CultureInfo.InvariantCulture,
            $"fleet ingest {settings.Store}: {settings.Machines:N0} machines every {settings.Report.TotalSeconds:0} s through {fleet.Gateways} gateways: "
            + $"{(fleet.Stats.Acknowledged - reports) / seconds:N0} reports/s stored ({stored.Count:N0} in {seconds:F0} s, {fleet.Stats.Refused - refusedBefore} refused), "
            + $"publish → stored p50 {p50:0} ms, p99 {p99:0} ms, max {max:0} ms; CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / seconds:P0} of one core; {bench.StartLine}");
        progress(ingest);
        var snapshot = await TimeSnapshotAsync(bench.Http, bench.Key, settings.Machines, progress, ct);
        return ingest + Environment.NewLine + snapshot;
    }

    /// <summary>The snapshot's first page (XML and JSON) 20 times after two warm-ups, then every page in turn once, as a client reading the whole fleet would.</summary>
    private static async Task<string> TimeSnapshotAsync(Uri http, string key, int machines, Action<string> progress, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        async Task<double> TimeAsync(string path, string accept)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd(accept);
            var started = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            response.EnsureSuccessStatusCode();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        var xml = new List<double>();
        var json = new List<double>();
        for (var run = 0; run < 22; run++)
        {
            var (x, j) = (await TimeAsync("/api/v1/aemp/Fleet/1", "application/xml"), await TimeAsync("/api/v1/aemp/Fleet/1", "application/json"));
            if (run >= 2)
            {
                xml.Add(x);
                json.Add(j);
            }
        }

        xml.Sort();
        json.Sort();
        var pages = (machines + 99) / 100;
        var whole = Stopwatch.StartNew();
        for (var page = 1; page <= pages; page++)
        {
            await TimeAsync($"/api/v1/aemp/Fleet/{page}", "application/xml");
            if (page % 100 == 0)
            {
                progress($"bench fleet-ingest: snapshot page {page}/{pages} at {whole.Elapsed.TotalSeconds:F1} s");
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"AEMP fleet snapshot of {machines:N0} machines, 100 a page, while the fleet reports: one page p50 {xml[xml.Count / 2]:F1} ms XML, {json[json.Count / 2]:F1} ms JSON "
            + $"(p99 {xml[^1]:F1} / {json[^1]:F1} ms); all {pages:N0} pages one after another {whole.Elapsed.TotalMilliseconds:N0} ms");
    }
}
