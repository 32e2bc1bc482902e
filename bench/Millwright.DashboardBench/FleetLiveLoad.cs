using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Millwright.Bench;
using Millwright.Security;

namespace Millwright.DashboardBench;

/// <summary>
/// The fleet screen while the fleet reports: <see cref="FleetBench"/> (the platform in this process, N machines
/// reporting through depot gateways, caught up), and headless Chromium on #/fleet signed in with a viewer key, as a
/// wall screen would be. The page records, for every live position it receives, the time from the reading's own
/// timestamp (the simulator's clock, same host) to the first frame drawn with a cluster index that holds it; the
/// bench collects those lags for the given time. With panning, the mouse drags the map in circles all the while (the
/// issue's frames target is "while panning", at the same 100,000 machines that report).
/// </summary>
internal static class FleetLiveLoad
{
    public static async Task<string> RunAsync(int machines, TimeSpan report, TimeSpan duration, (int Width, int Height) screen, bool panning, Action<string> progress, CancellationToken ct)
    {
        await using var bench = await FleetBench.StartAsync(new FleetBench.Settings("sqlite", null, machines, report, 1, Role.Viewer), line => progress($"bench fleet-live: {line}"), ct);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = screen.Width, Height = screen.Height } });
        page.SetDefaultTimeout(600_000);
        await page.GotoAsync(new Uri(bench.Http, "/dashboard").ToString());
        await page.FillAsync("#key", bench.Key);
        var opened = DateTime.UtcNow;
        await page.ClickAsync("#signin-form button[type=submit]");
        await page.WaitForSelectorAsync("#top:not([hidden])");
        var signedIn = DateTime.UtcNow - opened;
        progress($"bench fleet-live: signed in after {signedIn.TotalSeconds:F1} s; opening the fleet screen");
        var loadStarted = DateTime.UtcNow;
        await page.EvaluateAsync("() => { location.hash = '#/fleet'; }");
        await page.WaitForSelectorAsync($"canvas.fleet-canvas[data-machines='{machines}']");
        var loaded = DateTime.UtcNow - loadStarted;
        // Opening the screen (the registry, 100,000 positions, the first polls) holds ingest back for a while: the
        // lag is measured once every gateway has sent on time again for 15 s, as at the fleet's start.
        progress($"bench fleet-live: {machines:N0} machines on the map after {loaded.TotalSeconds:F1} s; waiting until the fleet reports on time again");
        var settling = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(10), ct);
        while (bench.Fleet.Stats.OnScheduleFor < TimeSpan.FromSeconds(15) && settling.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        settling.Stop();

        var sentBefore = bench.Fleet.Stats.Acknowledged;
        await page.EvaluateAsync("() => { const s = window.millwright.stats; s.lags.length = 0; s.changes0 = s.changes; window.millwright.frames.intervals.length = 0; window.millwright.frames.last = 0; }");
        // The page keeps at most 200,000 lags (a wall screen runs for weeks): the bench takes them every 5 s.
        const string TakeLags = "() => window.millwright.stats.lags.splice(0)";
        var lagsTaken = new List<double>();
        var started = DateTime.UtcNow;
        var box = await page.Locator("canvas.fleet-canvas").BoundingBoxAsync() ?? throw new InvalidOperationException("no canvas");
        var (cx, cy) = (box.X + (box.Width / 2), box.Y + (box.Height / 2));
        var step = 0;
        if (panning)
        {
            await page.Mouse.MoveAsync(cx, cy);
            await page.Mouse.DownAsync();
        }

        while (DateTime.UtcNow - started < duration)
        {
            var slice = DateTime.UtcNow;
            while (panning && DateTime.UtcNow - slice < TimeSpan.FromSeconds(5))
            {
                await MapDrag.CircleStepAsync(page.Mouse, cx, cy, step++);
            }

            if (!panning)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            }

            lagsTaken.AddRange(await page.EvaluateAsync<double[]>(TakeLags));
            var page2 = await page.EvaluateAsync<JsonElement>("() => ({ link: document.getElementById('link').dataset.link ?? '', lag: window.millwright.stats.lastLag ?? -1 })");
            progress($"bench fleet-live: {(DateTime.UtcNow - started).TotalSeconds:F0} s: live feed {page2.GetProperty("link").GetString()}, last lag {page2.GetProperty("lag").GetDouble():F0} ms; {bench.Fleet.StatusLine(0, TimeSpan.Zero)}");
        }

        if (panning)
        {
            await page.Mouse.UpAsync();
        }

        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        lagsTaken.AddRange(await page.EvaluateAsync<double[]>(TakeLags));
        var figures = await page.EvaluateAsync<JsonElement>(
            "() => ({ changes: window.millwright.stats.changes - window.millwright.stats.changes0, frames: window.millwright.frames.intervals.slice() })");
        var lags = lagsTaken.Order().ToArray();
        var frames = Numbers(figures.GetProperty("frames"));
        var changes = figures.GetProperty("changes").GetDouble();
        var reports = bench.Fleet.Stats.Acknowledged - sentBefore;

        var inv = CultureInfo.InvariantCulture;
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        var text = new StringBuilder();
        text.AppendLine(inv, $"bench fleet-live: {machines:N0} machines every {report.TotalSeconds:0} s, #/fleet{(panning ? " dragged in circles" : "")} at {screen.Width}×{screen.Height} in headless Chromium {browser.Version}; load average {load}");
        text.AppendLine(inv, $"  fleet: {bench.StartLine}; screen signed in {signedIn.TotalSeconds:F1} s, fleet drawn {loaded.TotalSeconds:F1} s after opening, reports on time again {settling.Elapsed.TotalSeconds:F0} s after");
        text.AppendLine(inv, $"  reports stored {reports / seconds:N0}/s; live value messages received by the page {changes / seconds:N0}/s; positions drawn {lags.Length / seconds:N0}/s");
        text.AppendLine(lags.Length == 0
            ? "  update lag: no position was drawn"
            : string.Create(inv, $"  update lag (reading's time → first frame with it in the cluster index): p50 {P(lags, 0.50):F0} ms, p95 {P(lags, 0.95):F0} ms, p99 {P(lags, 0.99):F0} ms, max {lags[^1]:F0} ms; within 2 s: {lags.Count(x => x <= 2000) / (double)lags.Length:P2}"));
        text.Append(frames.Length == 0
            ? "  frames: none drawn"
            : string.Create(inv, $"  frames: {frames.Length} ({frames.Length / seconds:F0}/s), interval p50 {P(frames, 0.5):F1} ms, p95 {P(frames, 0.95):F1} ms, max {frames[^1]:F1} ms; under 50 ms: {frames.Count(x => x < 50) / (double)frames.Length:P1}"));
        await browser.CloseAsync();
        return text.ToString();
    }

    private static double[] Numbers(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).Order().ToArray();

    private static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
