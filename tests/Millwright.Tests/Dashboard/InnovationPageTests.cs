using System.Net;
using Microsoft.Playwright;
using Millwright.Design;
using Millwright.Tests.Design;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Dashboard;

/// <summary>The innovation page in headless Chromium: ideas with votes and status, a project's tree with flagged constraints and requirements, revisions, the cycle KPI chart.</summary>
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

        await BrowserHost.ScreenshotAsync(page, "innovation");
        Assert.Empty(fixture.Errors);
    }
}
