using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Design;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Design;

/// <summary>Documents (files by reference and hash) and requirements linked to parts: over REST and the channel, live, versioned with the revisions.</summary>
public abstract class DocumentRequirementTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    private static string Sha(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static JsonNode Requirement(JsonNode list, string name) =>
        list.AsArray().Single(r => r!["name"]!.GetValue<string>() == name)!;

    private static string? LiveStatus(DesignChannelClient client, string name) =>
        client.Events("requirements").LastOrDefault()?.Message["items"]!.AsArray().SingleOrDefault(r => r!["name"]!.GetValue<string>() == name)?["status"]?.GetValue<string>();

    [Fact]
    public async Task Documents_written_over_rest_and_the_channel_are_live_and_a_revision_keeps_the_hash_it_was_released_with()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        var p = $"/api/v1/design/projects/{project}";
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await alice.CreateAsync("frame", DesignTree.Root, ("type", "assembly"), ("name", "Frame"));
        await alice.CreateAsync("plate", "frame", ("type", "part"), ("name", "Plate"), ("number", "PL-1"));
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice);

        var v1 = Sha("plate.step v1");
        var put = await t.Operator.PutJsonAsync($"{p}/nodes/plate/documents/model", new { kind = "cad", sha256 = v1, uri = "pdm://vault/pumps/plate.step", title = "Plate model" }, HttpStatusCode.OK);
        Assert.Equal("root / frame (Frame) / plate (Plate)", put["path"]!.GetValue<string>());
        // Written over REST, seen live by the editor.
        await Eventually.ValueAsync(() => alice.Read(tr => tr.FieldOf("plate", "doc.model")), v => v == $"cad sha256:{v1} pdm://vault/pumps/plate.step Plate model", "alice to see the document");
        await alice.SetAsync("plate", "doc.drawing", $"drawing sha256:{Sha("plate.pdf")} https://files.example.com/plate.pdf");
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice);

        var documents = (await t.Viewer.GetJsonAsync($"{p}/documents")).AsArray();
        Assert.Equal(["drawing", "model"], documents.Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal(v1, documents[1]!["sha256"]!.GetValue<string>());
        Assert.Equal("Plate model", documents[1]!["title"]!.GetValue<string>());

        // Released with v1; the model's next version does not change the revision, and the diff names the new hash.
        await t.Operator.PostJsonAsync($"{p}/revisions", new { note = "first" }, HttpStatusCode.Created);
        var v2 = Sha("plate.step v2");
        await t.Operator.PutJsonAsync($"{p}/nodes/plate/documents/model", new { kind = "cad", sha256 = v2, uri = "pdm://vault/pumps/plate.step" }, HttpStatusCode.OK);
        Assert.Equal(v1, (await t.Viewer.GetJsonAsync($"{p}/documents?revision=1")).AsArray().Single(d => d!["name"]!.GetValue<string>() == "model")!["sha256"]!.GetValue<string>());
        Assert.Equal(v2, (await t.Viewer.GetJsonAsync($"{p}/documents")).AsArray().Single(d => d!["name"]!.GetValue<string>() == "model")!["sha256"]!.GetValue<string>());
        var history = (await t.Viewer.GetJsonAsync($"{p}/history?node=plate&field=doc.model")).AsArray();
        Assert.Equal(2, history.Count);

        // Bad references are refused and change nothing: a short hash over REST, an unknown kind over the channel.
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"{p}/nodes/plate/documents/model", new { kind = "cad", sha256 = "abc", uri = "pdm://x" }, HttpStatusCode.BadRequest, "64 lowercase hex");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"{p}/nodes/ghost/documents/model", new { kind = "cad", sha256 = v2, uri = "pdm://x" }, HttpStatusCode.NotFound, "no node ghost");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Put, $"{p}/nodes/plate/documents/model", new { kind = "cad", sha256 = v2, uri = "pdm://x" }, HttpStatusCode.Forbidden, "");
        await alice.SetAsync("plate", "doc.model", $"video sha256:{v2} pdm://x");
        var error = await Eventually.ValueAsync(() => alice.Events("error"), e => e.Count >= 1, "the bad document to be refused");
        Assert.Contains("doc.model: document kind 'video'", error[0].Message["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(v2, (await t.Viewer.GetJsonAsync($"{p}/documents")).AsArray().Single(d => d!["name"]!.GetValue<string>() == "model")!["sha256"]!.GetValue<string>());

        await t.Operator.DeleteAsync($"{p}/nodes/plate/documents/drawing", HttpStatusCode.NoContent);
        Assert.Single((await t.Viewer.GetJsonAsync($"{p}/documents")).AsArray());
    }

    [Fact]
    public async Task A_requirements_status_follows_its_linked_parts_and_parameters_and_unmet_or_unlinked_ones_are_flagged()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        var p = $"/api/v1/design/projects/{project}";
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await alice.CreateAsync("plate", DesignTree.Root, ("type", "part"), ("name", "Plate"), ("number", "PL-1"), ("param.mass", "18 kg"), ("constraint.light", "mass <= 22 kg"));
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice);

        var weight = await t.Operator.PutJsonAsync($"{p}/nodes/root/requirements/weight", new { text = "The pump weighs at most 20 kg", verify = "plate.mass <= 20 kg" }, HttpStatusCode.OK);
        Assert.Equal("met", weight["status"]!.GetValue<string>());
        Assert.False(weight["flagged"]!.GetValue<bool>());
        Assert.Equal("plate", weight["parts"]![0]!["node"]!.GetValue<string>());
        Assert.Equal("plate.mass", weight["parameters"]![0]!.GetValue<string>());
        var quiet = await t.Operator.PutJsonAsync($"{p}/nodes/root/requirements/quiet", new { text = "Runs below 60 dB(A)" }, HttpStatusCode.OK);
        Assert.Equal("unlinked", quiet["status"]!.GetValue<string>());
        Assert.True(quiet["flagged"]!.GetValue<bool>());
        await alice.SetAsync("plate", "req.finish", "Powder coated, RAL 5010");
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice);
        Assert.Equal("unverified", Requirement(await t.Viewer.GetJsonAsync($"{p}/requirements"), "finish")["status"]!.GetValue<string>());
        // An unlinked requirement does not block a release (violated constraints do); the revision records each status.
        await t.Operator.PostJsonAsync($"{p}/revisions", new { note = "first" }, HttpStatusCode.Created);

        // The plate gets heavier: the weight requirement is unmet, and so is the finish (its part breaks a constraint); told live.
        await alice.SetAsync("plate", "param.mass", "25 kg");
        await Eventually.ValueAsync(() => LiveStatus(alice, "weight"), s => s == "unmet", "alice to be told the weight is unmet");
        var now = await t.Viewer.GetJsonAsync($"{p}/requirements");
        Assert.True(Requirement(now, "weight")["flagged"]!.GetValue<bool>());
        Assert.Contains("does not hold", Requirement(now, "weight")["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("unmet", Requirement(now, "finish")["status"]!.GetValue<string>());
        Assert.Contains("constraint.light", Requirement(now, "finish")["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // The revision still records where each stood when it was released.
        Assert.Equal("met", Requirement(await t.Viewer.GetJsonAsync($"{p}/requirements?revision=1"), "weight")["status"]!.GetValue<string>());
        Assert.Equal("unlinked", Requirement(await t.Viewer.GetJsonAsync($"{p}/requirements?revision=1"), "quiet")["status"]!.GetValue<string>());

        // A verification with a unit mismatch is refused with the path; nothing of it is stored.
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"{p}/nodes/plate/requirements/stiff", new { text = "Stiff", verify = "mass <= 3 mm" }, HttpStatusCode.UnprocessableEntity, "root / plate (Plate)");
        Assert.DoesNotContain((await t.Viewer.GetJsonAsync($"{p}/requirements")).AsArray(), r => r!["name"]!.GetValue<string>() == "stiff");

        // The plate is deleted: the requirements stated on it or verified by it are unlinked.
        await alice.MoveAsync("plate", DesignTree.Trash);
        await Eventually.ValueAsync(() => LiveStatus(alice, "finish"), s => s == "unlinked", "alice to be told the finish is unlinked");
        var gone = await t.Viewer.GetJsonAsync($"{p}/requirements");
        Assert.Equal("unlinked", Requirement(gone, "weight")["status"]!.GetValue<string>());
        Assert.Equal(3, gone.AsArray().Count);
        Assert.Equal(3, gone.AsArray().Count(r => r!["flagged"]!.GetValue<bool>()));

        await t.Operator.DeleteAsync($"{p}/nodes/root/requirements/quiet", HttpStatusCode.NoContent);
        Assert.Equal(2, (await t.Viewer.GetJsonAsync($"{p}/requirements")).AsArray().Count);
    }

    public sealed class OnSqlite(SqliteHost host) : DocumentRequirementTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : DocumentRequirementTests(host), IClassFixture<PostgresHost>;
}
