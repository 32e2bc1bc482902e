using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Millwright.Hosting;
using Millwright.Storage;

namespace Millwright.DashboardBench;

/// <summary>
/// The fleet screen while panning: the platform in this process (SQLite) with a viewer key, and headless Chromium
/// on #/fleet. The machines' positions are the bench's: Playwright answers the page's GET /api/v1/fleet/positions
/// with N synthetic machines (around 300 job sites across Germany, states mostly running), so what is measured is
/// the page (decoding, clustering, drawing), not ingest. Then the mouse drags the map in circles at three zoom
/// levels (the whole fleet, a region, a city) and the page's requestAnimationFrame intervals are collected.
/// </summary>
internal static class FleetMapLoad
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<string> RunAsync(int machines, TimeSpan perZoom, (int Width, int Height) screen, Action<string> progress, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("mw-bench-fleetmap-").FullName;
        try
        {
            var store = new StoreOptions(directory, null);
            await using var database = await store.OpenAsync(ct);
            var (_, key, _) = await Millwright.Bench.BenchTenant.ProvisionAsync(database, "fleetmap",
                "tenant: fleetmap\nname: Fleet map bench\nmachineTypes:\n  - name: excavator\n    tags:\n      - { name: latitude, unit: deg, dataType: float }\nsites:\n  - name: Depot\n    areas:\n      - name: Yard\n        lines:\n          - name: Fleet\n            machines:\n              - { name: m1, type: excavator }\n",
                "fleet map bench", ct);
            await using var app = MillwrightApp.Build(new ServeOptions(new IPEndPoint(IPAddress.Loopback, 0), store), database);
            await app.StartAsync(ct);
            var http = new Uri(app.Urls.Single());
            var body = Positions(machines);
            progress($"bench fleet-map: {machines:N0} synthetic machines ({body.Length / 1024:N0} KiB of positions); starting Chromium");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = screen.Width, Height = screen.Height } });
            page.SetDefaultTimeout(300_000);
            await page.RouteAsync("**/api/v1/fleet/positions", route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = body }));
            await page.GotoAsync(new Uri(http, "/dashboard").ToString());
            await page.FillAsync("#key", key);
            await page.ClickAsync("#signin-form button[type=submit]");
            await page.WaitForSelectorAsync("#top:not([hidden])");
            var loadStarted = DateTime.UtcNow;
            await page.EvaluateAsync("() => { location.hash = '#/fleet'; }");
            await page.WaitForSelectorAsync($"canvas.fleet-canvas[data-machines='{machines}']");
            var loaded = DateTime.UtcNow - loadStarted;
            await page.EvaluateAsync("() => new Promise((r) => setTimeout(r, 1000))");
            var canvas = page.Locator("canvas.fleet-canvas");
            var box = await canvas.BoundingBoxAsync() ?? throw new InvalidOperationException("no canvas");
            var (cx, cy) = (box.X + (box.Width / 2), box.Y + (box.Height / 2));

            var inv = CultureInfo.InvariantCulture;
            var report = new StringBuilder();
            var all = new List<double>();
            var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
            report.AppendLine(inv, $"bench fleet-map: {machines:N0} machines, {screen.Width}×{screen.Height}, headless Chromium {browser.Version}; load average {load} (shared machine)");
            report.AppendLine(inv, $"  positions fetched, clustered and first drawn in {loaded.TotalMilliseconds:F0} ms");
            foreach (var (name, zoomSteps) in new[] { ("whole fleet", 0), ("region (+3 zoom levels)", 6), ("city (+6 zoom levels)", 6) })
            {
                await page.Mouse.MoveAsync(cx, cy);
                for (var k = 0; k < zoomSteps; k++)
                {
                    await page.Mouse.WheelAsync(0, -100);
                    await page.EvaluateAsync("() => new Promise((r) => requestAnimationFrame(r))");
                }

                var drawn = await page.EvaluateAsync<string>("() => { const d = document.querySelector('canvas.fleet-canvas').dataset; return `zoom ${d.zoom}: ${d.markers} machines and ${d.clusters} clusters drawn`; }");
                await page.EvaluateAsync("() => { window.millwright.frames.intervals.length = 0; window.millwright.frames.last = 0; }");
                var started = DateTime.UtcNow;
                await page.Mouse.DownAsync();
                for (var step = 0; DateTime.UtcNow - started < perZoom; step++)
                {
                    await MapDrag.CircleStepAsync(page.Mouse, cx, cy, step);
                }

                await page.Mouse.UpAsync();
                var frames = (await page.EvaluateAsync<double[]>("() => window.millwright.frames.intervals.slice()")).Order().ToArray();
                all.AddRange(frames);
                report.AppendLine(inv, $"  panning, {name} ({drawn}): {Describe(frames, perZoom)}");
            }

            var sorted = all.Order().ToArray();
            report.AppendLine(inv, $"  all panning: {Describe(sorted, perZoom * 3)}");
            await browser.CloseAsync();
            await app.StopAsync(CancellationToken.None);
            return report.ToString().TrimEnd();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Describe(double[] sorted, TimeSpan duration) => sorted.Length == 0 ? "no frames" : string.Create(CultureInfo.InvariantCulture,
        $"{sorted.Length} frames ({sorted.Length / duration.TotalSeconds:F0}/s), frame interval p50 {P(sorted, 0.5):F1} ms, p95 {P(sorted, 0.95):F1} ms, p99 {P(sorted, 0.99):F1} ms, max {sorted[^1]:F1} ms; under 50 ms: {sorted.Count(x => x < 50) / (double)sorted.Length:P1}");

    private static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    /// <summary>The positions document as the platform writes it, for N machines around 300 sites in Germany.</summary>
    private static string Positions(int machines)
    {
        var random = new Random(1);
        var sites = Enumerable.Range(0, 300).Select(_ => (Lat: 47.5 + (random.NextDouble() * 7), Lon: 6.5 + (random.NextDouble() * 8.5))).ToArray();
        var states = new[] { "running", "running", "running", "running", "running", "running", "running", "idle", "down", "offline" };
        var ids = new long[machines];
        var names = new string[machines];
        var lat = new double[machines];
        var lon = new double[machines];
        var state = new string[machines];
        var at = new long[machines];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < machines; i++)
        {
            var site = sites[random.Next(sites.Length)];
            ids[i] = i + 1;
            names[i] = string.Create(CultureInfo.InvariantCulture, $"exc-{i:D6}");
            lat[i] = Math.Round(site.Lat + ((random.NextDouble() - 0.5) * 0.05), 6);
            lon[i] = Math.Round(site.Lon + ((random.NextDouble() - 0.5) * 0.08), 6);
            state[i] = states[random.Next(states.Length)];
            at[i] = now - random.Next(30_000);
        }

        return JsonSerializer.Serialize(new { at = DateTimeOffset.UtcNow, ids, names, latitude = lat, longitude = lon, states = state, reportedAt = at, faults = Array.Empty<object>() }, Web);
    }
}
