using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Makerspace;

public abstract class MakerspaceTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    internal static Task<JsonNode> ProposeAsync(HttpClient client, string title, string description, string[]? tags = null, string? family = null) =>
        client.PostJsonAsync("/api/v1/makerspace/ideas", new { title, description, tags = tags ?? [], productFamily = family }, HttpStatusCode.Created);

    private static async Task<string[]> AuditAsync(TestTenant t) =>
        (await t.Admin.ListAsync("/api/v1/audit?limit=500")).Select(e => e!["summary"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task An_idea_moves_from_submitted_through_review_to_a_decision_and_every_move_is_audited()
    {
        using var t = await Host.CreateTenantAsync();
        var idea = await ProposeAsync(t.Operator, "Self-cleaning filter", "A washing machine filter that rinses itself.", ["Filter", "washing"], "Washers");
        Assert.Equal("submitted", idea["status"]!.GetValue<string>());
        Assert.Equal(["filter", "washing"], idea["tags"]!.AsArray().Select(x => x!.GetValue<string>()));
        var path = $"/api/v1/makerspace/ideas/{idea.Id()}";

        // Accepting skips review: refused; declining without a reason: refused; viewers decide nothing.
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"{path}/status", new { status = "accepted", project = "P1" }, HttpStatusCode.Conflict, "submitted → under_review");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Post, $"{path}/status", new { status = "under_review" }, HttpStatusCode.Forbidden, "viewer");
        await t.Operator.PostJsonAsync($"{path}/status", new { status = "under_review" }, HttpStatusCode.OK);
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"{path}/status", new { status = "declined" }, HttpStatusCode.BadRequest, "reason: is required");
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"{path}/status", new { status = "accepted" }, HttpStatusCode.BadRequest, "project: is required");

        var accepted = await t.Admin.PostJsonAsync($"{path}/status", new { status = "accepted", project = "Filter 2027" }, HttpStatusCode.OK);
        Assert.Equal("accepted", accepted["status"]!.GetValue<string>());
        Assert.Equal("Filter 2027", accepted["project"]!.GetValue<string>());
        Assert.NotNull(accepted["decidedAt"]);

        // A decision is final, and a decided idea is no longer edited.
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"{path}/status", new { status = "declined", reason = "changed our mind" }, HttpStatusCode.Conflict, "cannot move");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { title = "x", description = "y" }, HttpStatusCode.Conflict, "decided");

        var audit = await AuditAsync(t);
        Assert.Contains(audit, a => a.StartsWith("proposed idea 'Self-cleaning filter'", StringComparison.Ordinal));
        Assert.Contains(audit, a => a == "moved idea 'Self-cleaning filter' from submitted to under_review");
        Assert.Contains(audit, a => a == "moved idea 'Self-cleaning filter' from under_review to accepted as project 'Filter 2027'");

        var other = await ProposeAsync(t.Operator, "Gold-plated drum", "Because it shines.");
        await t.Operator.PostJsonAsync($"/api/v1/makerspace/ideas/{other.Id()}/status", new { status = "under_review" }, HttpStatusCode.OK);
        var declined = await t.Operator.PostJsonAsync($"/api/v1/makerspace/ideas/{other.Id()}/status", new { status = "declined", reason = "too costly for the benefit" }, HttpStatusCode.OK);
        Assert.Equal("too costly for the benefit", declined["decisionReason"]!.GetValue<string>());
        Assert.Contains(await AuditAsync(t), a => a.EndsWith("to declined; reason: too costly for the benefit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Comments_thread_and_votes_and_follows_count_once_per_key()
    {
        using var t = await Host.CreateTenantAsync();
        var idea = await ProposeAsync(t.Operator, "Quieter spin", "Reduce spin noise with a tuned damper.");
        var path = $"/api/v1/makerspace/ideas/{idea.Id()}";
        Assert.True(idea["following"]!.GetValue<bool>());  // authors follow their own ideas

        var root = await t.Admin.PostJsonAsync($"{path}/comments", new { body = "Which damper?" }, HttpStatusCode.Created);
        var reply = await t.Operator.PostJsonAsync($"{path}/comments", new { body = "A tuned mass damper.", parentId = root.Id() }, HttpStatusCode.Created);
        Assert.Equal(root.Id(), reply["parentId"]!.GetValue<long>());
        var elsewhere = await ProposeAsync(t.Operator, "Other", "Other idea.");
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/makerspace/ideas/{elsewhere.Id()}/comments", new { body = "x", parentId = root.Id() },
            HttpStatusCode.BadRequest, "parentId");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Post, $"{path}/comments", new { body = "viewers read" }, HttpStatusCode.Forbidden, "viewer");

        await t.Admin.PutJsonAsync($"{path}/vote", new { }, HttpStatusCode.OK);
        var twice = await t.Admin.PutJsonAsync($"{path}/vote", new { }, HttpStatusCode.OK);
        Assert.Equal(1, twice["votes"]!.GetValue<long>());
        Assert.True(twice["voted"]!.GetValue<bool>());
        await t.Operator.PutJsonAsync($"{path}/vote", new { }, HttpStatusCode.OK);
        await t.Admin.PutJsonAsync($"{path}/follow", new { }, HttpStatusCode.OK);
        using (var withdrawn = await t.Operator.DeleteAsync($"{path}/vote"))
        {
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        }

        var seen = await t.Viewer.GetJsonAsync(path);
        Assert.Equal(1, seen["votes"]!.GetValue<long>());
        Assert.Equal(2, seen["comments"]!.GetValue<long>());
        Assert.Equal(2, seen["followers"]!.GetValue<long>());
        Assert.False(seen["voted"]!.GetValue<bool>());
        var following = (await t.Admin.GetJsonAsync("/api/v1/makerspace/following")).AsArray();
        Assert.Equal([idea.Id()], following.Select(i => i!.Id()));
    }

    [Fact]
    public async Task Lists_rank_by_engagement_filter_by_tag_and_search_by_text()
    {
        using var t = await Host.CreateTenantAsync();
        var quiet = await ProposeAsync(t.Operator, "Quiet dryer", "A dryer with a brushless fan that is much quieter.", ["dryer"], "Dryers");
        var popular = await ProposeAsync(t.Operator, "Steam refresh", "A steam cycle to refresh shirts without washing.", ["dryer", "steam"], "Dryers");
        var fridge = await ProposeAsync(t.Operator, "Fridge door alarm", "Beep when the fridge door stays open.", ["fridge"], "Fridges");
        foreach (var voter in new[] { t.Admin, t.Operator })
        {
            await voter.PutJsonAsync($"/api/v1/makerspace/ideas/{popular.Id()}/vote", new { }, HttpStatusCode.OK);
        }

        await t.Admin.PutJsonAsync($"/api/v1/makerspace/ideas/{fridge.Id()}/vote", new { }, HttpStatusCode.OK);

        var ranked = await t.Viewer.ListAsync("/api/v1/makerspace/ideas");
        Assert.Equal([popular.Id(), fridge.Id(), quiet.Id()], ranked.Select(i => i!.Id()));
        var dryers = await t.Viewer.ListAsync("/api/v1/makerspace/ideas?tag=dryer&sort=new");
        Assert.Equal([popular.Id(), quiet.Id()], dryers.Select(i => i!.Id()));
        var family = await t.Viewer.ListAsync("/api/v1/makerspace/ideas?productFamily=fridges");
        Assert.Equal([fridge.Id()], family.Select(i => i!.Id()));
        var found = await t.Viewer.ListAsync("/api/v1/makerspace/ideas?q=quieter%20fan");
        Assert.Equal(quiet.Id(), found[0]!.Id());

        var page = await t.Viewer.GetJsonAsync("/api/v1/makerspace/ideas?limit=2");
        Assert.Equal(2, page["nextOffset"]!.GetValue<int>());
        Assert.Single(await t.Viewer.ListAsync("/api/v1/makerspace/ideas?limit=2&offset=2"));
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/makerspace/ideas?sort=relevance", null, HttpStatusCode.BadRequest, "sort:");
    }

    [Fact]
    public async Task Similar_ideas_are_suggested_while_typing_and_hidden_ones_are_not()
    {
        using var t = await Host.CreateTenantAsync();
        var lint = await ProposeAsync(t.Operator, "Lint filter that cleans itself", "The dryer lint filter should clean itself after every cycle.", ["dryer"]);
        await ProposeAsync(t.Operator, "Oven light", "A brighter light inside the oven.");
        var similar = (await t.Viewer.GetJsonAsync("/api/v1/makerspace/ideas/similar?text=self%20cleaning%20lint%20filter")).AsArray();
        Assert.Equal(lint.Id(), similar[0]!.Id());
        Assert.True(similar[0]!["score"]!.GetValue<double>() > 0);

        // The index follows changes: an edit is found by its new words, a hidden idea is no longer suggested.
        await t.Operator.PutJsonAsync($"/api/v1/makerspace/ideas/{lint.Id()}", new { title = "Lint trap rinse", description = "Rinse the lint trap with water.", tags = new[] { "dryer" } }, HttpStatusCode.OK);
        Assert.Equal(lint.Id(), (await t.Viewer.GetJsonAsync("/api/v1/makerspace/ideas/similar?text=rinse")).AsArray()[0]!.Id());
        await t.Admin.PostJsonAsync($"/api/v1/makerspace/ideas/{lint.Id()}/hide", new { reason = "duplicate of a project" }, HttpStatusCode.OK);
        Assert.Empty((await t.Viewer.GetJsonAsync("/api/v1/makerspace/ideas/similar?text=rinse")).AsArray());
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/makerspace/ideas/similar", null, HttpStatusCode.BadRequest, "text:");
    }

    [Fact]
    public async Task Moderators_hide_ideas_and_comments_resolve_reports_and_ban_keys_with_audit()
    {
        using var t = await Host.CreateTenantAsync();
        var idea = await ProposeAsync(t.Operator, "Spam idea", "Buy cheap watches.");
        var path = $"/api/v1/makerspace/ideas/{idea.Id()}";
        var comment = await t.Operator.PostJsonAsync($"{path}/comments", new { body = "rude words" }, HttpStatusCode.Created);

        var report = await t.Viewer.SendRawAsync(HttpMethod.Post, $"{path}/report", """{"reason": "spam"}""");
        Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);
        var reported = await t.Operator.PostJsonAsync($"{path}/report", new { reason = "rude", commentId = comment.Id() }, HttpStatusCode.Created);
        Assert.Single((await t.Admin.GetJsonAsync("/api/v1/makerspace/reports")).AsArray());
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/makerspace/reports", null, HttpStatusCode.Forbidden, "operator");

        var hidden = await t.Admin.PostJsonAsync($"{path}/comments/{comment.Id()}/hide", new { reason = "insulting" }, HttpStatusCode.OK);
        Assert.True(hidden["hidden"]!.GetValue<bool>());
        var asSeen = (await t.Viewer.GetJsonAsync($"{path}/comments")).AsArray().Single()!;
        Assert.Null(asSeen["body"]);
        Assert.Equal(0, (await t.Viewer.GetJsonAsync(path))["comments"]!.GetValue<long>());
        await t.Admin.PostJsonAsync($"/api/v1/makerspace/reports/{reported.Id()}/resolve", new { }, HttpStatusCode.OK);
        Assert.Empty((await t.Admin.GetJsonAsync("/api/v1/makerspace/reports")).AsArray());

        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"{path}/hide", new { }, HttpStatusCode.BadRequest, "reason:");
        await t.Admin.PostJsonAsync($"{path}/hide", new { reason = "advertising" }, HttpStatusCode.OK);
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, path, null, HttpStatusCode.NotFound, "no idea");
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/makerspace/ideas"));
        Assert.Equal("advertising", (await t.Admin.GetJsonAsync(path))["hiddenReason"]!.GetValue<string>());

        var operatorKey = (await t.Admin.ListAsync("/api/v1/api-keys")).Single(k => k!["role"]!.GetValue<string>() == "operator")!.Id();
        await t.Admin.PostJsonAsync("/api/v1/makerspace/bans", new { keyId = operatorKey, reason = "repeated spam" }, HttpStatusCode.OK);
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/makerspace/ideas", new { title = "again", description = "spam" }, HttpStatusCode.Forbidden, "banned");
        Assert.Empty(await t.Operator.ListAsync("/api/v1/makerspace/ideas"));  // banned keys still read
        await t.Admin.DeleteAsync($"/api/v1/makerspace/bans/{operatorKey}", HttpStatusCode.NoContent);
        await ProposeAsync(t.Operator, "A real idea", "Now behaving.");

        var audit = await AuditAsync(t);
        Assert.Contains(audit, a => a == "hid a comment on idea 'Spam idea': insulting");
        Assert.Contains(audit, a => a == "hid idea 'Spam idea': advertising");
        Assert.Contains(audit, a => a == $"banned key {operatorKey} from contributing to the makerspace: repeated spam");
        Assert.Contains(audit, a => a == $"lifted the makerspace ban of key {operatorKey}");
        Assert.Contains(audit, a => a.StartsWith("reported comment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Attachments_are_named_by_their_hash_and_must_be_what_their_type_says()
    {
        using var t = await Host.CreateTenantAsync();
        var idea = await ProposeAsync(t.Operator, "Sketch", "See the attached sketch.");
        var path = $"/api/v1/makerspace/ideas/{idea.Id()}/attachments";
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

        var added = await UploadAsync(t.Operator, $"{path}?name=sketch.png", png, "image/png", HttpStatusCode.Created);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), added["sha256"]!.GetValue<string>());
        await UploadAsync(t.Operator, $"{path}?name=again.png", png, "image/png", HttpStatusCode.Created);
        Assert.Single((await t.Viewer.GetJsonAsync(path)).AsArray());

        using (var back = await t.Viewer.GetAsync($"{path}/{added["sha256"]!.GetValue<string>()}"))
        {
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
            Assert.Equal("image/png", back.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", back.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(png, await back.Content.ReadAsByteArrayAsync());
        }

        await UploadAsync(t.Operator, $"{path}?name=fake.png", "<script>alert(1)</script>"u8.ToArray(), "image/png", HttpStatusCode.BadRequest);
        await UploadAsync(t.Operator, $"{path}?name=page.html", "<html></html>"u8.ToArray(), "text/html", HttpStatusCode.BadRequest);
        await UploadAsync(t.Operator, $"{path}?name=big.txt", new byte[1_000_001], "text/plain", HttpStatusCode.BadRequest);
        await UploadAsync(t.Admin, $"{path}?name=notes.txt", "notes"u8.ToArray(), "text/plain", HttpStatusCode.Created);
        await UploadAsync(t.Viewer, $"{path}?name=notes2.txt", "notes"u8.ToArray(), "text/plain", HttpStatusCode.Forbidden);
    }

    private static async Task<JsonNode> UploadAsync(HttpClient client, string path, byte[] bytes, string type, HttpStatusCode expected)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        using var response = await client.PostAsync(path, content);
        return await HttpAssertions.ExpectAsync(response, expected);
    }

    [Fact]
    public async Task The_ideas_quota_refuses_the_idea_over_the_limit()
    {
        using var t = await Host.CreateTenantAsync();
        for (var i = 0; i < MakerspaceSqliteHost.IdeasQuota; i++)
        {
            await ProposeAsync(t.Operator, $"Idea {i}", "Filler.");
        }

        var problem = await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/makerspace/ideas", new { title = "One more", description = "over" }, HttpStatusCode.Forbidden, "'ideas' quota");
        Assert.Equal("ideas", problem["quota"]!.GetValue<string>());
        var quotas = (await t.Viewer.GetJsonAsync("/api/v1/quotas"))["quotas"]!.AsArray().Single(q => q!["name"]!.GetValue<string>() == "ideas")!;
        Assert.Equal(MakerspaceSqliteHost.IdeasQuota, quotas["used"]!.GetValue<long>());
    }

    public sealed class OnSqlite(MakerspaceSqliteHost host) : MakerspaceTests(host), IClassFixture<MakerspaceSqliteHost>;

    public sealed class OnPostgres(MakerspacePostgresHost host) : MakerspaceTests(host), IClassFixture<MakerspacePostgresHost>;
}
