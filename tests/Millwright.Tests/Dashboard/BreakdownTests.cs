using Microsoft.Playwright;
using Millwright.Tests.Harness;
using static Microsoft.Playwright.Assertions;

namespace Millwright.Tests.Dashboard;

/// <summary>The scenario in headless Chromium, on both stores: a machine breaks down, the big screen shows it, the console acknowledges it.</summary>
public abstract class BreakdownTests(BrowserHost fixture)
{
    private const string DownColour = "rgb(217, 52, 43)";
    private const string RunningColour = "rgb(46, 158, 68)";

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_machine_that_breaks_down_turns_its_tile_red_and_raises_an_alarm_which_the_console_acknowledges()
    {
        using var plant = await DashboardPlant.CreateAsync(Host);
        var page = await fixture.SignedInPageAsync(plant.Tenant.OperatorKey);
        var tile = page.Locator($".tile[data-machine='{plant.MachineId}']");
        await tile.WaitForAsync();

        await plant.SendAsync(new { power = 12.5, alarm_code = 0, parts = 1 });
        await page.WaitForSelectorAsync($".tile[data-machine='{plant.MachineId}'][data-state='running']");
        await Expect(tile).ToHaveCSSAsync("background-color", RunningColour);

        // The fault: the first faulty reading of a machine added after the type's alarm rule. How fast the
        // screen shows it is measured by bench/Millwright.DashboardBench, not asserted here.
        await plant.SendAsync(new { power = 0.0, alarm_code = 42, parts = 1 });
        await page.WaitForSelectorAsync($".tile[data-machine='{plant.MachineId}'][data-state='down'] .badge:not([hidden])",
            new PageWaitForSelectorOptions { Timeout = 10_000 });
        await BrowserHost.ScreenshotAsync(page, $"breakdown-big-screen-{Host.Database.Provider}");
        await Expect(tile).ToHaveCSSAsync("background-color", DownColour);
        Assert.Equal($"{plant.MachineName}: down · spindle overload", await tile.GetAttributeAsync("title"));
        Assert.Equal("⚠ 1", await tile.Locator(".badge").TextContentAsync());
        Assert.Equal("1", await page.Locator("#alarm-count").TextContentAsync());

        // The console: the alarm is active; acknowledging it with a comment moves it to acknowledged.
        await page.ClickAsync("a[data-nav=alarms]");
        var row = page.Locator("tr[data-alarm][data-state=active]", new PageLocatorOptions { HasText = plant.MachineName });
        await row.WaitForAsync();
        Assert.Contains($"{plant.MachineName}: fault 42", await row.TextContentAsync(), StringComparison.Ordinal);
        await row.Locator("button.ack").ClickAsync();
        await page.FillAsync("form.inline input[name=comment]", "spindle changed");
        await page.ClickAsync("form.inline button[type=submit]");
        await page.Locator("tr[data-alarm][data-state=acknowledged]", new PageLocatorOptions { HasText = "spindle changed" }).WaitForAsync();
        await BrowserHost.ScreenshotAsync(page, $"breakdown-acknowledged-{Host.Database.Provider}");

        var alarm = (await plant.Tenant.Viewer.ListAsync("/api/v1/alarms")).Single()!;
        Assert.Equal("acknowledged", alarm["state"]!.GetValue<string>());
        Assert.Equal("spindle changed", alarm["acknowledgeComment"]!.GetValue<string>());
        Assert.Empty(fixture.Errors);
    }

    public sealed class OnSqlite(BrowserSqliteHost host) : BreakdownTests(host), IClassFixture<BrowserSqliteHost>;

    public sealed class OnPostgres(BrowserPostgresHost host) : BreakdownTests(host), IClassFixture<BrowserPostgresHost>;
}
