using System.Net;
using Millwright.Design;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Design;

/// <summary>Released revisions (immutable baselines, diffs) and engineering change: request, review by named roles, order, new revision.</summary>
public abstract class DesignRevisionTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    private static string Prefix(long project) => $"/api/v1/design/projects/{project}";

    [Fact]
    public async Task A_second_revision_implements_an_approved_change_order_and_the_diff_shows_what_changed()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        var p = Prefix(project);
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await alice.CreateAsync("frame", DesignTree.Root, ("type", "assembly"), ("name", "Frame"), ("number", "F-1"));
        await alice.CreateAsync("plate", "frame", ("type", "part"), ("number", "PL-2"), ("quantity", "2"), ("param.side", "100 mm"), ("param.area", "= side * side [mm2]"));
        await alice.CreateAsync("bolt", "frame", ("type", "part"), ("number", "B-8"), ("quantity", "4"));
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice);

        var first = await t.Operator.PostJsonAsync($"{p}/revisions", new { note = "baseline" }, HttpStatusCode.Created);
        Assert.Equal(1, first["number"]!.GetValue<long>());
        Assert.Equal(3, first["nodes"]!.AsArray().Count);

        // The working copy goes on; a second release without an approved change order is refused.
        await alice.SetAsync("bolt", "quantity", "6");
        await alice.SetAsync("plate", "param.side", "120 mm");
        await alice.CreateAsync("washer", "frame", ("type", "part"), ("number", "W-8"), ("quantity", "6"));
        await alice.MoveAsync("bolt", DesignTree.Root);
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice);
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"{p}/revisions", new { note = "no order" }, HttpStatusCode.BadRequest, "changeId");

        // Reviewers by named role; the request lists the touched part, the assembly above it, and their paths.
        // Reviewers are keys by id: a key of another tenant is no reviewer here.
        var keys = await t.Admin.ListAsync("/api/v1/api-keys");
        long KeyOf(string role) => keys.Single(k => k!["role"]!.GetValue<string>() == role)!.Id();
        await t.Admin.PostJsonAsync($"{p}/reviewers", new { role = "design", keyId = KeyOf("operator") }, HttpStatusCode.OK);
        var quality = await t.Admin.PostJsonAsync($"{p}/reviewers", new { role = "quality", keyId = KeyOf("viewer") }, HttpStatusCode.OK);
        Assert.Equal(KeyOf("viewer"), quality["keyId"]!.GetValue<long>());
        using (var stranger = await Host.CreateTenantAsync())
        {
            var foreign = (await stranger.Admin.ListAsync("/api/v1/api-keys")).First()!.Id();
            await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"{p}/reviewers", new { role = "design", keyId = foreign }, HttpStatusCode.BadRequest, "no active API key");
        }
        var change = await t.Operator.PostJsonAsync($"{p}/changes", new { title = "More bolts", reason = "vibration", nodes = new[] { "washer" }, roles = new[] { "design", "quality" } }, HttpStatusCode.Created);
        var c = $"{p}/changes/{change.Id()}";
        Assert.Equal("requested", change["status"]!.GetValue<string>());
        Assert.Equal(["frame", "washer"], change["impact"]!.AsArray().Select(i => i!["node"]!.GetValue<string>()));
        Assert.Equal("root / frame (Frame) / washer", change["impact"]![1]!["path"]!.GetValue<string>());

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"{c}/reviews", new { role = "quality", verdict = "approve" }, HttpStatusCode.Forbidden, "does not review for quality");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"{p}/revisions", new { changeId = change.Id() }, HttpStatusCode.Conflict, "requested");
        Assert.Equal("requested", (await t.Operator.PostJsonAsync($"{c}/reviews", new { role = "design", verdict = "approve" }, HttpStatusCode.OK))["status"]!.GetValue<string>());
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"{c}/reviews", new { role = "design", verdict = "approve" }, HttpStatusCode.Conflict, "reviewed");
        Assert.Equal("approved", (await t.Viewer.PostJsonAsync($"{c}/reviews", new { role = "quality", verdict = "approve", note = "ok" }, HttpStatusCode.OK))["status"]!.GetValue<string>());

        var second = await t.Operator.PostJsonAsync($"{p}/revisions", new { note = "ECO", changeId = change.Id() }, HttpStatusCode.Created);
        Assert.Equal(2, second["number"]!.GetValue<long>());
        Assert.Equal(change.Id(), second["changeId"]!.GetValue<long>());
        var done = await t.Viewer.GetJsonAsync(c);
        Assert.Equal("released", done["status"]!.GetValue<string>());
        Assert.Equal(2, done["revision"]!.GetValue<long>());
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"{p}/revisions", new { changeId = change.Id() }, HttpStatusCode.Conflict, "released");

        var diff = await t.Viewer.GetJsonAsync($"{p}/diff?from=1&to=2");
        Assert.Equal(["washer"], diff["added"]!.AsArray().Select(n => n!["node"]!.GetValue<string>()));
        Assert.Equal("root / bolt", diff["moved"]![0]!["to"]!.GetValue<string>());
        Assert.Contains(diff["fields"]!.AsArray(), f => f!["node"]!.GetValue<string>() == "bolt" && f!["field"]!.GetValue<string>() == "quantity" && f!["from"]!.GetValue<string>() == "4" && f!["to"]!.GetValue<string>() == "6");
        var area = diff["computedValues"]!.AsArray().Single()!;
        Assert.Equal(("10000 mm2", "14400 mm2"), (area["from"]!.GetValue<string>(), area["to"]!.GetValue<string>()));

        // The first revision is as it was released.
        var baseline = await t.Viewer.GetJsonAsync($"{p}/revisions/1");
        Assert.Equal("4", baseline["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "bolt")!["fields"]!["quantity"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_edit_stamped_before_a_release_is_refused_as_stale_and_a_violated_constraint_blocks_a_release()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        var p = Prefix(project);
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await using var late = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "late");
        await alice.CreateAsync("shaft", DesignTree.Root, ("type", "part"), ("number", "S-1"), ("param.length", "300 mm"), ("constraint.short", "length < 250 mm"));
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice, late);

        var refused = await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"{p}/revisions", new { note = "too long" }, HttpStatusCode.Conflict, "constraint");
        Assert.Contains("root / shaft", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await alice.SetAsync("shaft", "param.length", "240 mm");
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice, late);
        await t.Operator.PostJsonAsync($"{p}/revisions", new { note = "fits" }, HttpStatusCode.Created);

        // An operation stamped before the cut would change the released revision: it never reaches the log.
        await late.SendTextAsync("""{"type":"ops","ops":[{"counter":1,"kind":"set","node":"shaft","field":"material","value":"brass"}]}""");
        var error = await Eventually.ValueAsync(() => late.Events("error"), e => e.Count > 0, "the stale edit to be refused");
        Assert.Equal("stale", error[0].Message["code"]!.GetValue<string>());
        Assert.Contains("on root / shaft (material)", error[0].Message["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null((await t.Viewer.GetJsonAsync($"{p}/structure"))["nodes"]!.AsArray().Single()!["fields"]!["material"]);
        Assert.Empty((await t.Viewer.GetJsonAsync($"{p}/history?node=shaft&field=material")).AsArray());
    }

    public sealed class OnSqlite(SqliteHost host) : DesignRevisionTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : DesignRevisionTests(host), IClassFixture<PostgresHost>;
}
