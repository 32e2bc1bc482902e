using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using Millwright.Mqtt;
using Millwright.Tests.Fleet;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Dashboard;

/// <summary>
/// The fleet screen draws the stored plan in force: a line from each assigned machine to its request's site, coloured
/// by the dispatch's state, with the plan's revision and total beside the map; a machine's answer shows within the
/// screen's refresh. The machines are real MQTT clients answering their dispatches.
/// </summary>
public sealed class FleetPlanScreenTests(BrowserProductionHost fixture) : IClassFixture<BrowserProductionHost>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_plan_in_force_is_drawn_from_machine_to_site_coloured_by_dispatch_state_with_its_total()
    {
        var host = fixture.Host;
        using var fleet = await AllocationFleetKit.CreateAsync(host, machines: 3, serial: "SCR-1");
        await using var berlin = await FleetDispatchTests.ConnectAsync(fleet, host.MqttPort, fleet.Machines["berlin"], fleet.Kit.Name);
        await using var munich = await FleetDispatchTests.ConnectAsync(fleet, host.MqttPort, fleet.Machines["munich"], "exc-munich");
        await using var hamburg = await FleetDispatchTests.ConnectAsync(fleet, host.MqttPort, fleet.Machines["hamburg"], "exc-hamburg");
        // Each site about 50 km from its machine, so every line is long enough to find on the canvas.
        await fleet.RequestAsync("Potsdam bridge", 52.1, 13.1);
        await fleet.RequestAsync("Augsburg ring", 48.37, 10.9);
        await fleet.RequestAsync("Lübeck port", 53.87, 10.69);
        var plan = await fleet.PlanAsync(new { });
        var accepted = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{plan.Id()}/accept", new { }, HttpStatusCode.OK);
        var total = accepted["totalCost"]!.GetValue<double>();
        var toB = await berlin.NextAsync("fleet.dispatch", Soon);
        var toM = await munich.NextAsync("fleet.dispatch", Soon);
        var toH = await hamburg.NextAsync("fleet.dispatch", Soon);
        Assert.Equal(ReasonCode.Success, await berlin.AnswerRawAsync($$"""{"commandId": "{{toB["commandId"]}}", "status": "accepted"}"""));
        Assert.Equal(ReasonCode.Success, await munich.AnswerRawAsync($$"""{"commandId": "{{toM["commandId"]}}", "status": "rejected", "reason": "no low-loader"}"""));
        await Eventually.ValueAsync(() => fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{plan.Id()}"),
            p => p["assignments"]!.AsArray().Count(a => a!["dispatch"]!["answeredAt"] is not null) == 2, "two answers recorded", Soon);

        var page = await fixture.SignedInPageAsync(fleet.Tenant.ViewerKey, "#/fleet");
        var canvas = page.Locator("canvas.fleet-canvas");
        await page.WaitForSelectorAsync("canvas.fleet-canvas[data-stored-plan-lines='3']");
        Assert.Equal(1, await IntAsync(canvas, "stored-acknowledged"));
        Assert.Equal(1, await IntAsync(canvas, "stored-failed"));
        Assert.Equal(1, await IntAsync(canvas, "stored-sent"));
        await Assertions.Expect(page.Locator(".fleet-stored-plan h3")).ToHaveTextAsync("Allocation plan, revision 1 (accepted)");
        await Assertions.Expect(page.Locator(".fleet-stored-total")).ToContainTextAsync(
            $"3 assignments, total {total.ToString("0.00", CultureInfo.InvariantCulture)}");
        await Assertions.Expect(page.Locator(".fleet-stored-legend [data-status='failed']")).ToContainTextAsync("failed 1");

        // The lines are drawn in their state's colour: green (acknowledged), red (failed) and amber (sent) pixels are on the canvas.
        Assert.True(await HasColourAsync(page, 0x1e, 0x9e, 0x3a), "an acknowledged (green) line is drawn");
        Assert.True(await HasColourAsync(page, 0xd6, 0x2d, 0x20), "a failed (red) line is drawn");
        Assert.True(await HasColourAsync(page, 0xe0, 0x8a, 0x00), "a sent (amber) line is drawn");

        // Hamburg answers now: the screen reads the plan again and its line turns green.
        Assert.Equal(ReasonCode.Success, await hamburg.AnswerRawAsync($$"""{"commandId": "{{toH["commandId"]}}", "status": "accepted"}"""));
        await page.WaitForSelectorAsync("canvas.fleet-canvas[data-stored-acknowledged='2'][data-stored-sent='0']", new PageWaitForSelectorOptions { Timeout = 20_000 });
        Assert.False(await HasColourAsync(page, 0xe0, 0x8a, 0x00), "no line is amber any more");
        await BrowserHost.ScreenshotAsync(page, "fleet-stored-plan");
        Assert.Empty(fixture.Errors);
    }

    [Fact]
    public async Task A_machine_a_re_plan_released_is_drawn_dashed_to_the_site_it_gave_up_and_listed_with_its_answer()
    {
        var host = fixture.Host;
        using var fleet = await AllocationFleetKit.CreateAsync(host, machines: 3, serial: "SCR-2");
        await using var berlin = await FleetDispatchTests.ConnectAsync(fleet, host.MqttPort, fleet.Machines["berlin"], fleet.Kit.Name);
        await using var munich = await FleetDispatchTests.ConnectAsync(fleet, host.MqttPort, fleet.Machines["munich"], "exc-munich");
        await using var hamburg = await FleetDispatchTests.ConnectAsync(fleet, host.MqttPort, fleet.Machines["hamburg"], "exc-hamburg");
        await fleet.RequestAsync("Potsdam bridge", 52.1, 13.1);
        await fleet.RequestAsync("Augsburg ring", 48.37, 10.9);
        var toLubeck = await fleet.RequestAsync("Lübeck port", 53.87, 10.69);
        var first = await fleet.PlanAsync(new { });
        await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{first.Id()}/accept", new { }, HttpStatusCode.OK);
        var toH = await hamburg.NextAsync("fleet.dispatch", Soon);
        Assert.Equal(ReasonCode.Success, await hamburg.AnswerRawAsync($$"""{"commandId": "{{toH["commandId"]}}", "status": "accepted"}"""));

        // Hamburg's excavator breaks down: the re-plan takes Lübeck from it, and it is told so.
        var replan = await fleet.PlanAsync(new { changePenalty = 1000, brokenDown = new[] { fleet.Machines["hamburg"] } });
        var accepted = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{replan.Id()}/accept", new { }, HttpStatusCode.OK);
        var release = Assert.Single(accepted["releases"]!.AsArray())!;
        Assert.Equal(toLubeck, release["requestId"]!.GetValue<long>());
        var released = await hamburg.NextAsync("fleet.release", Soon);
        Assert.Equal(ReasonCode.Success, await hamburg.AnswerRawAsync($$"""{"commandId": "{{released["commandId"]}}", "status": "accepted"}"""));
        await Eventually.ValueAsync(() => fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{replan.Id()}"),
            p => p["releases"]![0]!["dispatch"]!["answeredAt"] is not null, "the release answered", Soon);

        var page = await fixture.SignedInPageAsync(fleet.Tenant.ViewerKey, "#/fleet");
        await page.WaitForSelectorAsync("canvas.fleet-canvas[data-stored-releases='1'][data-stored-releases-acknowledged='1']");
        await Assertions.Expect(page.Locator(".fleet-stored-plan h3")).ToHaveTextAsync("Allocation plan, revision 2 (accepted)");
        await Assertions.Expect(page.Locator(".fleet-stored-releases")).ToContainTextAsync("1 machine released (dashed): exc-hamburg from Lübeck port, acknowledged");
        Assert.True(await HasColourAsync(page, 0x7a, 0x1f, 0xa2), "the cross at the site given up is drawn");
        await BrowserHost.ScreenshotAsync(page, "fleet-release");
        Assert.Empty(fixture.Errors);
    }

    private static Task<bool> HasColourAsync(IPage page, int r, int g, int b) => page.EvaluateAsync<bool>(
        $"() => {{ const c = document.querySelector('canvas.fleet-canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; " +
        $"for (let i = 0; i < d.length; i += 4) if (d[i] === {r} && d[i + 1] === {g} && d[i + 2] === {b}) return true; return false; }}");

    private static async Task<int> IntAsync(ILocator canvas, string name) =>
        int.Parse(await canvas.GetAttributeAsync("data-" + name) ?? "-1", CultureInfo.InvariantCulture);
}
