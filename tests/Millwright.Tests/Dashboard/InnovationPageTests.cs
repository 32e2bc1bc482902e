using System.Net;
using Microsoft.Playwright;
using Millwright.Design;
using Millwright.Tests.Design;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Dashboard;

/// <summary>
/// The innovation page in headless Chromium: ideas with votes and status, a project's tree with flagged constraints and
/// requirements, revisions, the cycle KPI chart; and the project edited live from two pages over the design channel.
/// </summary>
public sealed class InnovationPageTests(BrowserSqliteHost fixture) : IClassFixture<BrowserSqliteHost>
{
    [Fact]
    public async Task The_page_shows_ideas_a_projects_tree_with_flagged_constraints_its_revisions_and_the_cycle_chart()
    {
        using var t = await fixture.Host.CreateTenantAsync();
        var idea = await t.Operator.PostJsonAsync("/api/v1/makerspace/ideas", new { title = "Quiet pump", description = "A pump you cannot hear.", productFamily = "pumps" }, HttpStatusCode.Created);
        await t.Admin.PutJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/vote", new { }, HttpStatusCode.OK);
        await t.Operator.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/status", new { status = "under_review" }, HttpStatusCode.OK);

        var project = await DesignChannel.CreateProjectAsync(t.Operator, "Quiet pump");
        var p = $"/api/v1/design/projects/{project}";
        await using (var editor = await DesignChannel.ConnectAsync(fixture.Host, project, t.OperatorKey, "page"))
        {
            await editor.CreateAsync("housing", DesignTree.Root, ("type", "assembly"), ("name", "Housing"), ("number", "HS-1"));
            await editor.CreateAsync("plate", "housing", ("type", "part"), ("name", "Plate"), ("number", "PL-1"), ("quantity", "2"), ("param.mass", "18 kg"), ("constraint.light", "mass <= 20 kg"));
            await DesignChannel.ConvergedAsync(t.Viewer, project, editor);
            await t.Operator.PutJsonAsync($"{p}/nodes/root/requirements/weight", new { text = "At most 20 kg", verify = "plate.mass <= 20 kg" }, HttpStatusCode.OK);
            await t.Operator.PostJsonAsync($"{p}/revisions", new { note = "baseline" }, HttpStatusCode.Created);
            await t.Admin.PostJsonAsync($"{p}/revisions/1/manufacture", new { }, HttpStatusCode.OK);
            // After the release the plate grows heavier: its constraint is violated and the requirement unmet.
            await editor.SetAsync("plate", "param.mass", "24 kg");
            await DesignChannel.ConvergedAsync(t.Viewer, project, editor);
        }

        var page = await fixture.SignedInPageAsync(t.ViewerKey);
        await page.ClickAsync("a[data-nav=innovation]");
        var row = page.Locator($"#inn-ideas tr[data-idea='{idea.Id()}']");
        await Assertions.Expect(row.Locator("td.votes")).ToHaveTextAsync("1");
        await Assertions.Expect(row.Locator("td.status")).ToHaveTextAsync("under review");

        await page.SelectOptionAsync("#inn-project", project.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // A viewer follows the structure live but gets no editor.
        await Assertions.Expect(page.Locator("#inn-status")).ToContainTextAsync("read-only");
        var plate = page.Locator("#inn-tree li[data-node=housing] li[data-node=plate]");
        await Assertions.Expect(plate.Locator(".node").First).ToHaveTextAsync("Plate (PL-1) × 2");
        await Assertions.Expect(plate.Locator("li[data-field='param.mass']")).ToHaveTextAsync("mass: 24 kg");
        await Assertions.Expect(plate.Locator("li[data-field='constraint.light']")).ToHaveClassAsync("flagged");
        await Assertions.Expect(page.Locator("#inn-requirements tr[data-req=weight] td.status")).ToHaveTextAsync("unmet");
        await Assertions.Expect(page.Locator("#inn-requirements tr[data-req=weight]")).ToHaveClassAsync("flagged");
        await Assertions.Expect(page.Locator("#inn-revisions tr[data-revision='1'] td").Nth(1)).ToHaveTextAsync("baseline");

        // The development cycle of the released project is drawn from the KPI (days from project start to release).
        var bar = page.Locator($"#inn-cycle g[data-project='{project}']");
        await Assertions.Expect(bar).ToHaveCountAsync(1);
        var cycle = await t.Viewer.GetJsonAsync("/api/v1/design/kpis/cycle");
        var days = cycle["projects"]!.AsArray().Single(x => x!["projectId"]!.GetValue<long>() == project)!["developmentDays"]!.GetValue<double>();
        Assert.Equal(days, double.Parse(await bar.GetAttributeAsync("data-development-days") ?? "", System.Globalization.CultureInfo.InvariantCulture), 9);

        await page.ClickAsync("#inn-tree li[data-node=plate] > .node");
        await Assertions.Expect(page.Locator("#inn-editor")).ToBeHiddenAsync();

        await BrowserHost.ScreenshotAsync(page, "innovation");
        await page.Context.CloseAsync();
        Assert.Empty(fixture.Errors);
    }

    [Fact]
    public async Task Two_pages_edit_one_project_live_see_each_other_and_a_refused_or_reverted_edit_is_shown_to_its_author_with_the_path()
    {
        using var t = await fixture.Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator, "Live pump");
        await using var tool = await DesignChannel.ConnectAsync(fixture.Host, project, t.OperatorKey, "a-tool");
        await tool.CreateAsync("housing", DesignTree.Root, ("type", "assembly"), ("name", "Housing"));
        await tool.CreateAsync("plate", "housing", ("type", "part"), ("name", "Plate"), ("number", "PL-1"), ("quantity", "2"), ("param.mass", "18 kg"));
        await tool.CreateAsync("frame", DesignTree.Root, ("type", "assembly"), ("name", "Frame"));
        await DesignChannel.ConvergedAsync(t.Viewer, project, tool);

        var a = await OpenAsync(t.OperatorKey, project);
        var b = await OpenAsync(t.AdminKey, project);

        // Presence: what A selects is shown on B's tree with A's key name.
        await a.ClickAsync("#inn-tree li[data-node=housing] > .node");
        await Assertions.Expect(b.Locator("#inn-tree li[data-node=housing] > .presence")).ToHaveTextAsync($"operator of {t.Slug}");
        await Assertions.Expect(b.Locator("#inn-present")).ToContainTextAsync($"operator of {t.Slug} (housing)");

        // A adds a part under the housing; B sees it.
        await a.FillAsync("#inn-add-name", "Bolt");
        await a.FillAsync("#inn-add-number", "BL-1");
        await a.ClickAsync("#inn-add");
        await Assertions.Expect(b.Locator("#inn-tree li[data-node=housing] > ul > li > .node", new() { HasText = "Bolt (BL-1)" })).ToHaveCountAsync(1);

        // B changes the plate's quantity and material and gives it parameters, one a formula; A sees them computed.
        await b.ClickAsync("#inn-tree li[data-node=plate] > .node");
        await b.FillAsync("#inn-ed-quantity", "3");
        await b.FillAsync("#inn-ed-material", "steel");
        await b.ClickAsync("#inn-ed-apply");
        await SetParameterAsync(b, "width", "40 mm");
        await SetParameterAsync(b, "area", "= width * 30 mm [mm2]");
        var plateOnA = a.Locator("#inn-tree li[data-node=plate]");
        await Assertions.Expect(plateOnA.Locator(".node").First).ToHaveTextAsync("Plate (PL-1) × 3");
        await Assertions.Expect(plateOnA.Locator("li[data-field='param.area']")).ToHaveTextAsync("area: 1200 mm2");

        // B moves the plate into the frame and renames it; A sees both.
        await b.SelectOptionAsync("#inn-move-to", "frame");
        await b.ClickAsync("#inn-move");
        await b.FillAsync("#inn-ed-name", "Base plate");
        await b.ClickAsync("#inn-ed-apply");
        await Assertions.Expect(a.Locator("#inn-tree li[data-node=frame] li[data-node=plate] > .node")).ToHaveTextAsync("Base plate (PL-1) × 3");

        // A unit mismatch is refused: its author sees the server's message naming the path, nobody gets the edit.
        await a.ClickAsync("#inn-tree li[data-node=plate] > .node");
        await SetParameterAsync(a, "bad", "= mass + 5 mm");
        await Assertions.Expect(a.Locator("#inn-edit-message")).ToContainTextAsync("Refused: param.bad of root / frame (Frame) / plate (Base plate)");
        await Assertions.Expect(a.Locator("#inn-edit-message")).ToContainTextAsync("unit mismatch");
        await Assertions.Expect(a.Locator("#inn-tree li[data-field='param.bad']")).ToHaveCountAsync(0);

        // Two concurrent moves that together make a cycle: the tool's is stamped first (same counter, replica name
        // a-tool before dash-...), A's arrives first; when the tool's lands, A's later move is reverted and A is told.
        await DesignChannel.ConvergedAsync(t.Viewer, project, tool);
        var toolMove = await tool.EditAsync(stamp => [DesignOp.Move(stamp(), "frame", "housing")], send: false);
        await a.ClickAsync("#inn-tree li[data-node=housing] > .node");
        await a.SelectOptionAsync("#inn-move-to", "frame");
        await a.ClickAsync("#inn-move");
        await Eventually.ValueAsync(async () => (await t.Viewer.GetJsonAsync($"/api/v1/design/projects/{project}/structure"))["nodes"]!.AsArray()
            .Single(n => n!["id"]!.GetValue<string>() == "housing")!["parent"]!.GetValue<string>(), parent => parent == "frame", "A's move stored");
        await tool.FlushAsync(toolMove);
        await Assertions.Expect(a.Locator("#inn-edit-message")).ToContainTextAsync("Reverted: moving housing under frame would make a cycle");
        await Assertions.Expect(a.Locator("#inn-edit-message")).ToHaveAttributeAsync("data-path", "root / housing / frame");
        foreach (var page in new[] { a, b })
        {
            await Assertions.Expect(page.Locator("#inn-tree li[data-node=root] > ul > li[data-node=housing] li[data-node=frame] li[data-node=plate]")).ToHaveCountAsync(1);
        }

        // Everything the pages did is what the server holds, and the bad parameter never reached it.
        var server = await DesignChannel.ConvergedAsync(t.Viewer, project, tool);
        Assert.Contains("param.area== width * 30 mm [mm2]", server, StringComparison.Ordinal);
        Assert.DoesNotContain("param.bad", server, StringComparison.Ordinal);
        Assert.Contains("material=steel", server, StringComparison.Ordinal);

        await BrowserHost.ScreenshotAsync(a, "innovation-editing");
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
        Assert.Empty(fixture.Errors);
    }

    private async Task<Microsoft.Playwright.IPage> OpenAsync(string key, long project)
    {
        var page = await fixture.SignedInPageAsync(key);
        await page.ClickAsync("a[data-nav=innovation]");
        await page.SelectOptionAsync("#inn-project", project.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#inn-status")).ToHaveTextAsync("editing live");
        return page;
    }

    private static async Task SetParameterAsync(Microsoft.Playwright.IPage page, string name, string value)
    {
        await page.SelectOptionAsync("#inn-param-kind", "param");
        await page.FillAsync("#inn-param-name", name);
        await page.FillAsync("#inn-param-value", value);
        await page.ClickAsync("#inn-param-set");
    }
}
