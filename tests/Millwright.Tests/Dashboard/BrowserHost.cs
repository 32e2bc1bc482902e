using Microsoft.Playwright;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Dashboard;

/// <summary>
/// One real Millwright (on SQLite or PostgreSQL) and one headless Chromium per test class: Debian's <c>/usr/bin/chromium</c>
/// driven by Playwright, never a downloaded browser. Tests keep apart by their own tenants and browser contexts.
/// With <paramref name="production"/>, the app also listens for MQTT and plans quickly, as the production tests' host does.
/// With <paramref name="anomaliesAtOnce"/>, the anomaly watcher judges readings without a settle time after a state change.
/// With <paramref name="allowLoopbackEgress"/>, the egress policy lets the platform reach OPC UA and Modbus peers on 127.0.0.1.
/// </summary>
public abstract class BrowserHost(bool postgres, bool production = false, bool anomaliesAtOnce = false, bool allowLoopbackEgress = false) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TestHost? _host;

    public TestHost Host => _host ?? throw new InvalidOperationException("the host did not start");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser did not start");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (test.sh does)");
        _host = production
            ? await TestHost.StartAsync(postgres, mqtt: true, configure: o => o with
            {
                Production = new Millwright.Features.Production.ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100) },
            })
            : await TestHost.StartAsync(postgres, configure: anomaliesAtOnce
                // No settle time after a state change: readings sent together with the change are judged for anomalies.
                ? o => o with { Anomalies = new Millwright.Features.Anomalies.AnomalyOptions { Settle = TimeSpan.Zero } }
                : allowLoopbackEgress ? TestEgress.AllowLoopback : null);
        _playwright = await Playwright.CreateAsync();
        // Root (as in CI) cannot use Chromium's sandbox; the pages are our own, served on loopback.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context (its own session storage) with a page signed in with <paramref name="key"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string key, string hash = "")
    {
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(Host.BaseAddress, "/dashboard" + hash).ToString());
        await page.FillAsync("#key", key);
        await page.ClickAsync("#signin-form button[type=submit]");
        await page.WaitForSelectorAsync("#top:not([hidden])");
        return page;
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        // Assertions wait as long as actions do: a loaded test run makes an order's pattern and marker take seconds.
        Assertions.SetDefaultExpectTimeout(15_000);
        // A script error or a refused CSP rule fails the test that caused it.
        page.PageError += (_, error) => Errors.Add(error);
        page.Console += (_, message) =>
        {
            // A refused request is logged by the browser as "Failed to load resource"; the tests check those answers themselves.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                Errors.Add(message.Text);
            }
        };
        return page;
    }

    /// <summary>Errors any page reported (script exceptions, console errors such as CSP refusals).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Where screenshots go: TestResults/dashboard at the repository root, made if missing.</summary>
    public static string ArtifactDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Millwright.slnx")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "TestResults", "dashboard");
        Directory.CreateDirectory(path);
        return path;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory(), name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
