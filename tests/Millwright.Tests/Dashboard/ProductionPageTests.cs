using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;
using static Microsoft.Playwright.Assertions;

namespace Millwright.Tests.Dashboard;

/// <summary>
/// The production page in headless Chromium against the real app, with a planner and machines answering over MQTT:
/// the Gantt chart draws the planned and the running work on the machines it was planned on, the order list shows
/// status, progress, ETA and the late flag, and an operator releases and cancels orders from it.
/// </summary>
public sealed class ProductionPageTests(BrowserProductionHost fixture) : IClassFixture<BrowserProductionHost>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task The_gantt_chart_and_the_order_list_show_plan_actual_eta_and_lateness_and_an_operator_releases_and_cancels()
    {
        // Milling and painting take a minute a unit, so bars span minutes on the chart's ten hours.
        await using var cell = await ProductionCell.CreateAsync(Host, unitSeconds: 60);
        var onTime = await cell.OrderAsync(10, TimeSpan.FromHours(6), number: "SO-ONTIME");
        var (firstMill, _, _) = await cell.MillAsync(onTime.Id(), parts: 3, Soon);

        // Thirty units cannot be milled and painted in ten minutes: the planner's ETA lies past the due date.
        var late = await cell.OrderAsync(30, TimeSpan.FromMinutes(10), number: "SO-LATE");
        var otherMill = firstMill.Name == "mill-a" ? "mill-b" : "mill-a";
        var (secondMill, secondJob) = await cell.NextJobAsync(Soon, otherMill);
        await secondMill.AnswerAsync(secondJob, "accepted");
        var lateNow = await cell.WaitForOrderAsync(late.Id(), o => o["late"]!.GetValue<bool>() && Jobs(o)[0]["status"]!.GetValue<string>() == "running", Soon);
        var held = await cell.Tenant.Operator.PostJsonAsync("/api/v1/orders", new
        {
            number = "SO-HELD", customer = "Globex", itemId = cell.BracketId, siteId = cell.SiteId, quantity = 5, dueAt = DateTimeOffset.UtcNow.AddDays(2),
        }, HttpStatusCode.Created);

        var page = await fixture.SignedInPageAsync(cell.Tenant.OperatorKey, "#/production");
        await Expect(page.Locator("a[data-nav=production]")).ToHaveClassAsync("current");

        // Every job of both orders is drawn on the row of the machine it is planned on; the milling jobs have run.
        var running = await cell.WaitForOrderAsync(onTime.Id(), o => Jobs(o).All(j => j["plannedStart"] is not null), Soon);
        foreach (var job in Jobs(running).Concat(Jobs(lateNow)))
        {
            var bar = $"svg.gantt g.gantt-row[data-machine='{job["machineId"]!.GetValue<long>()}'] g.job[data-job='{job["id"]!.GetValue<long>()}']";
            await page.Locator($"{bar} rect.bar.planned").WaitForAsync();
            if (job["seq"]!.GetValue<int>() == 0)
            {
                await page.Locator($"{bar} rect.bar.actual").WaitForAsync();
            }
        }

        // The running job's actual bar starts left of the now line and ends on it.
        var actual = page.Locator($"g.job[data-job='{Jobs(running)[0]["id"]!.GetValue<long>()}'] rect.bar.actual");
        var nowX = Number(await page.Locator("svg.gantt line.now-line").GetAttributeAsync("x1"));
        var startX = Number(await actual.GetAttributeAsync("x"));
        var endX = startX + Number(await actual.GetAttributeAsync("width"));
        Assert.True(startX < nowX, $"the actual bar starts at {startX}, the now line is at {nowX}");
        Assert.InRange(endX, nowX - 5, nowX + 5);
        await Expect(page.Locator($"svg.gantt g.job.late[data-order='{late.Id()}']").First).ToBeAttachedAsync();
        Assert.Equal(0, await page.Locator($"svg.gantt g.job.late[data-order='{onTime.Id()}']").CountAsync());

        // The order list: status, progress, a time for the ETA; the late order flagged red; the held one releasable.
        var onTimeRow = page.Locator($"#orders tr[data-order='{onTime.Id()}']");
        await Expect(onTimeRow.Locator(".order-status")).ToHaveTextAsync("in progress");
        await Expect(onTimeRow.Locator(".eta")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d{1,2}:\d{2}"));
        Assert.Equal("15", await onTimeRow.Locator("progress").GetAttributeAsync("value"));
        Assert.Contains("ACME", await onTimeRow.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("BRKT", await onTimeRow.TextContentAsync(), StringComparison.Ordinal);
        var lateRow = page.Locator($"#orders tr.late[data-order='{late.Id()}']");
        await Expect(lateRow.Locator(".late-flag")).ToHaveTextAsync("late");
        await Expect(lateRow.Locator(".late-flag")).ToHaveCSSAsync("background-color", "rgb(217, 52, 43)");
        Assert.Equal(0, await page.Locator($"#orders tr[data-order='{onTime.Id()}'].late").CountAsync());
        await Expect(page.Locator("[data-kpi=wip] .value")).ToHaveTextAsync("2 orders");

        // A click on a bar opens its order with the job's program and count.
        await page.Locator($"g.job[data-job='{Jobs(running)[0]["id"]!.GetValue<long>()}'] rect.bar.planned").ClickAsync();
        var details = page.Locator($"#order-details[data-order='{onTime.Id()}']");
        await Expect(details.Locator($"tr.selected[data-job='{Jobs(running)[0]["id"]!.GetValue<long>()}']")).ToContainTextAsync("O1001");
        await Expect(details.Locator("tr.selected")).ToContainTextAsync("3 / 10");
        await BrowserHost.ScreenshotAsync(page, "production");

        // Release the held order, then cancel it after confirming in its row.
        var heldRow = page.Locator($"#orders tr[data-order='{held.Id()}']");
        await heldRow.Locator("button.release").ClickAsync();
        await Expect(page.Locator(".production .message")).ToContainTextAsync("SO-HELD: released");
        Assert.NotEqual("planned", (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{held.Id()}"))["status"]!.GetValue<string>());
        await heldRow.Locator("button.cancel").ClickAsync();
        await heldRow.Locator("button.confirm-cancel").ClickAsync();
        await Expect(page.Locator(".production .message")).ToContainTextAsync("SO-HELD: cancelled");
        Assert.Equal("cancelled", (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{held.Id()}"))["status"]!.GetValue<string>());
        await Expect(heldRow).ToHaveCountAsync(0);
        await page.SelectOptionAsync("select[name=status]", "cancelled");
        await Expect(heldRow.Locator(".order-status")).ToHaveTextAsync("cancelled");
        await BrowserHost.ScreenshotAsync(page, "production-cancelled");

        // A viewer sees the same schedule and orders but no buttons that change them.
        var viewer = await fixture.SignedInPageAsync(cell.Tenant.ViewerKey, "#/production");
        await Expect(viewer.Locator("#who")).ToContainTextAsync("viewer");
        await viewer.Locator($"#orders tr[data-order='{late.Id()}'] .late-flag").WaitForAsync();
        await Expect(viewer.Locator("#replan")).ToBeHiddenAsync();
        await Expect(viewer.Locator("#orders button.cancel, #orders button.release")).ToHaveCountAsync(0);
        Assert.Empty(fixture.Errors);
    }

    [Fact]
    public async Task An_order_the_planner_cannot_place_shows_its_problem_in_the_list_and_dashed_on_the_chart()
    {
        await using var cell = await ProductionCell.CreateAsync(Host, unitSeconds: 60);
        var order = await cell.OrderAsync(4, TimeSpan.FromHours(4), number: "SO-STUCK");
        var (mill, job) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await mill.AnswerAsync(job, "accepted");
        await cell.WaitForOrderAsync(order.Id(), o => Jobs(o)[0]["status"]!.GetValue<string>() == "running", Soon);

        // The only painting machine stops painting: the order's second operation has nowhere to go.
        await cell.Tenant.Admin.PutJsonAsync($"/api/v1/machines/{cell.MachineIds["paint-1"]}/capabilities", new { capabilities = Array.Empty<string>() }, HttpStatusCode.OK);
        var stuck = await cell.WaitForOrderAsync(order.Id(), o => o["problem"] is not null, Soon);

        var page = await fixture.SignedInPageAsync(cell.Tenant.ViewerKey, "#/production");
        var row = page.Locator($"#orders tr[data-order='{order.Id()}']");
        await Expect(row.Locator(".problem")).ToHaveTextAsync(stuck["problem"]!.GetValue<string>());
        Assert.Contains("20 Paint", stuck["problem"]!.GetValue<string>(), StringComparison.Ordinal);
        var milling = page.Locator($"svg.gantt g.gantt-row[data-machine='{cell.MachineIds[mill.Name]}'] g.job.problem[data-job='{Jobs(stuck)[0]["id"]!.GetValue<long>()}']");
        await milling.Locator("rect.bar.actual").WaitForAsync();
        // The chart is redrawn on every refresh: a style read from a node the redraw detached is empty, so the
        // check runs in the page on the current node, and again until it holds.
        await Expect(milling.Locator("rect.bar.planned")).ToHaveCSSAsync("stroke-dasharray", "4px, 3px");
        // A machine without capabilities takes no work and gets no row.
        Assert.Equal(0, await page.Locator($"svg.gantt g.gantt-row[data-machine='{cell.MachineIds["paint-1"]}']").CountAsync());
        Assert.Empty(fixture.Errors);
    }

    [Fact]
    public async Task A_run_cut_short_by_a_breakdown_stays_on_its_machine_next_to_the_jobs_new_plan()
    {
        await using var cell = await ProductionCell.CreateAsync(Host, unitSeconds: 60);
        var order = await cell.OrderAsync(4, TimeSpan.FromHours(4), number: "SO-BROKE");
        var (mill, job, _) = await cell.MillAsync(order.Id(), parts: 1, Soon);
        // A run of at least a second, so that its bar has a width: the server's own clock says when it has one.
        await Eventually.TrueAsync(
            async () =>
            {
                var schedule = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/schedule?siteId={cell.SiteId}");
                var started = schedule["jobs"]!.AsArray().Single(j => j!["id"]!.GetValue<long>() == job["jobId"]!.GetValue<long>())!["startedAt"]!.GetValue<DateTimeOffset>();
                return schedule["now"]!.GetValue<DateTimeOffset>() >= started.AddSeconds(1.1);
            },
            "a second of the run on the server's clock");

        await mill.ReportAsync(power: 0, alarm: 7);
        var other = mill.Name == "mill-a" ? "mill-b" : "mill-a";
        await cell.WaitForOrderAsync(order.Id(), o => Jobs(o)[0]["machine"]?.GetValue<string>() == other, Soon);

        var page = await fixture.SignedInPageAsync(cell.Tenant.ViewerKey, "#/production");
        var jobId = job["jobId"]!.GetValue<long>();
        var run = page.Locator($"svg.gantt g.gantt-row[data-machine='{cell.MachineIds[mill.Name]}'] g.run[data-job='{jobId}']");
        await run.Locator("rect.bar.actual.ended").WaitForAsync();
        Assert.Contains("1 good", await run.Locator("title").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("went down", await run.Locator("title").TextContentAsync(), StringComparison.Ordinal);
        await page.Locator($"svg.gantt g.gantt-row[data-machine='{cell.MachineIds[other]}'] g.job[data-job='{jobId}'] rect.bar.planned").WaitForAsync();
        Assert.Empty(fixture.Errors);
    }

    [Fact]
    public async Task Another_tenant_sees_none_of_the_orders_machines_or_jobs()
    {
        await using var cell = await ProductionCell.CreateAsync(Host, unitSeconds: 60);
        var order = await cell.OrderAsync(4, TimeSpan.FromHours(4), number: "SO-PRIVATE");
        await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        using var other = await Host.CreateTenantAsync("other");

        var page = await fixture.SignedInPageAsync(other.ViewerKey, "#/production");
        await Expect(page.Locator("#orders td.empty")).ToHaveTextAsync("No orders match.");
        // "all" asks for the orders without a status filter: still none of the other tenant's.
        await page.RunAndWaitForResponseAsync(() => page.SelectOptionAsync("select[name=status]", "all"),
            r => new Uri(r.Url).AbsolutePath == "/api/v1/orders" && !r.Url.Contains("status=", StringComparison.Ordinal));
        await Expect(page.Locator("#orders td.empty")).ToHaveTextAsync("No orders match.");
        await page.Locator("svg.gantt").WaitForAsync();
        var content = await page.ContentAsync();
        Assert.DoesNotContain("SO-PRIVATE", content, StringComparison.Ordinal);
        Assert.DoesNotContain("mill-a", content, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("svg.gantt g.gantt-row").CountAsync());
        Assert.Equal(0, await page.Locator($"[data-order='{order.Id()}']").CountAsync());
        Assert.Empty(fixture.Errors);
    }

    [Fact]
    public async Task The_window_buttons_pan_and_zoom_the_schedule_query()
    {
        await using var cell = await ProductionCell.CreateAsync(Host, unitSeconds: 60);
        var page = await fixture.SignedInPageAsync(cell.Tenant.ViewerKey, "#/production");
        var svg = page.Locator("svg.gantt");
        await svg.WaitForAsync();
        var span = await SpanAsync(svg);
        Assert.InRange(span.TotalHours, 9.99, 10.01);

        // A refresh may be on its way when a button is pressed: wait for the request the button asked for.
        var zoomed = await page.RunAndWaitForRequestAsync(() => page.ClickAsync("#zoom-in"), r => IsSchedule(r.Url) && Span(r.Url).TotalHours < 5.01);
        Assert.InRange(Span(zoomed.Url).TotalHours, 4.99, 5.01);
        var before = From(zoomed.Url);
        var panned = await page.RunAndWaitForRequestAsync(() => page.ClickAsync("#pan-back"), r => IsSchedule(r.Url) && From(r.Url) < before.AddHours(-2));
        Assert.InRange((before - From(panned.Url)).TotalHours, 2.49, 2.51);
        Assert.InRange(Span(panned.Url).TotalHours, 4.99, 5.01);
        await Expect(page.Locator(".window-label")).Not.ToContainTextAsync("following now");
        await page.ClickAsync("#gantt-now");
        await Expect(page.Locator(".window-label")).ToContainTextAsync("following now");
        await Expect(svg.Locator("line.now-line")).ToBeAttachedAsync();
        // Three capable machines, one row each, even before any order.
        Assert.Equal(3, await svg.Locator("g.gantt-row").CountAsync());
        Assert.Empty(fixture.Errors);
    }

    private static async Task<TimeSpan> SpanAsync(ILocator svg) =>
        DateTimeOffset.Parse(await svg.GetAttributeAsync("data-to") ?? "", CultureInfo.InvariantCulture)
        - DateTimeOffset.Parse(await svg.GetAttributeAsync("data-from") ?? "", CultureInfo.InvariantCulture);

    private static bool IsSchedule(string url) => new Uri(url).AbsolutePath == "/api/v1/schedule";

    private static DateTimeOffset From(string url) =>
        DateTimeOffset.Parse(System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["from"]!, CultureInfo.InvariantCulture);

    private static TimeSpan Span(string url)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query);
        return DateTimeOffset.Parse(query["to"]!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse(query["from"]!, CultureInfo.InvariantCulture);
    }

    private static double Number(string? text) => double.Parse(text ?? "NaN", CultureInfo.InvariantCulture);

    private static List<JsonNode> Jobs(JsonNode order) => order["jobs"]!.AsArray().Select(j => j!).OrderBy(j => j["seq"]!.GetValue<int>()).ToList();
}
