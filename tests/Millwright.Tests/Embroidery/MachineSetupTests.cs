using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Embroidery;

/// <summary>
/// Machines' needle set-ups: the design's thread plan mapped onto a machine's needles (the operator threads what
/// no needle holds, and the machine waits), the plan's job time taken from the design on the slowest machine that
/// may run it, and the machine that holds the job reading its own needle plan with its device credential.
/// </summary>
public abstract class MachineSetupTests(HostFixture fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_design_order_is_timed_by_the_design_on_the_slowest_machine_and_mapped_onto_the_machine_needles()
    {
        using var t = await Host.CreateTenantAsync("emb");
        await using var shop = await EmbroideryShop.CreateAsync(Host, t, "emb-a", "emb-b");
        var design = await TestDesigns.CreateAsync(t.Operator, "Crest");
        var threads = design["threads"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(2, threads.Count);
        var (stitches, trims, changes) = (design["stitches"]!.GetValue<long>(), design["trims"]!.GetValue<long>(), design["colourChanges"]!.GetValue<long>());

        // Nobody has set the machines up: the design's run time at the platform's speed, not the routing's 30 s.
        var unplanned = await shop.OrderAsync(design.Id(), 3, release: false);
        var assumed = Job(await t.Viewer.GetJsonAsync($"/api/v1/orders/{unplanned}"));
        Assert.Equal((stitches * 60.0 / 800) + (trims * 3) + (changes * 6), assumed["unitSeconds"]!.GetValue<double>(), 0.001);
        Assert.Equal(60, assumed["setupSeconds"]!.GetValue<double>());

        // emb-a: slow, its second colour on needle 1, the first on no needle (an empty one is threaded); emb-b: fast, both threaded.
        var a = shop.MachineIds["emb-a"];
        var setupA = await t.Operator.PutJsonAsync($"/api/v1/embroidery/machines/{a}", new
        {
            stitchesPerMinute = 600, trimSeconds = 2, colourChangeSeconds = 5, rethreadSeconds = 45, needles = new[] { threads[1].ToUpperInvariant(), null, "#2e7d32" },
        }, HttpStatusCode.OK);
        Assert.Equal(threads[1], setupA["needles"]![0]!.GetValue<string>());
        await t.Operator.PutJsonAsync($"/api/v1/embroidery/machines/{shop.MachineIds["emb-b"]}", new
        {
            stitchesPerMinute = 1200, needles = new[] { threads[0], threads[1] },
        }, HttpStatusCode.OK);
        Assert.Equal(1200, (await t.Viewer.GetJsonAsync($"/api/v1/embroidery/machines/{shop.MachineIds["emb-b"]}"))["stitchesPerMinute"]!.GetValue<int>());

        var onA = await t.Viewer.GetJsonAsync($"/api/v1/embroidery/designs/{design.Id()}/machines/{a}");
        Assert.True(onA["setUp"]!.GetValue<bool>());
        var first = onA["first"]!;
        Assert.Equal([2, 1], first["steps"]!.AsArray().Select(s => s!["needle"]!.GetValue<int>()));
        Assert.Equal([true, false], first["steps"]!.AsArray().Select(s => s!["rethread"]!.GetValue<bool>()));
        Assert.Equal(1, first["rethreads"]!.GetValue<int>());
        Assert.Equal(0, onA["repeat"]!["rethreads"]!.GetValue<int>());
        var pieceOnA = (stitches * 60.0 / 600) + (trims * 2) + (changes * 5);
        Assert.Equal(pieceOnA + 45, first["seconds"]!.GetValue<double>(), 0.1);
        Assert.Equal(pieceOnA, onA["repeat"]!["seconds"]!.GetValue<double>(), 0.1);

        // Before it is planned, the order's job takes the slower machine's repeat piece (emb-a's) and the routing's setup.
        var waiting = await shop.OrderAsync(design.Id(), 4, release: false);
        var job = Job(await t.Viewer.GetJsonAsync($"/api/v1/orders/{waiting}"));
        Assert.Equal(pieceOnA, job["unitSeconds"]!.GetValue<double>(), 0.001);
        Assert.Equal(60, job["setupSeconds"]!.GetValue<double>(), 0.001);

        // Planned, it takes the time of the machine it goes to (the first piece's threading spread over the pieces).
        var orderId = await shop.OrderAsync(design.Id(), 4);
        var (holder, command) = await shop.NextJobAsync(Soon);
        var there = await t.Viewer.GetJsonAsync($"/api/v1/embroidery/designs/{design.Id()}/machines/{shop.MachineIds[holder.Name]}");
        var perPiece = Math.Ceiling((there["first"]!["seconds"]!.GetValue<double>() + (3 * there["repeat"]!["seconds"]!.GetValue<double>())) * 1000 / 4) / 1000;
        Assert.Equal(perPiece, command["unitSeconds"]!.GetValue<double>(), 0.15);
        Assert.Equal(command["unitSeconds"]!.GetValue<double>(), Job(await t.Viewer.GetJsonAsync($"/api/v1/orders/{orderId}"))["unitSeconds"]!.GetValue<double>(), 0.001);

        // The machine that gets the job reads the plan for its own needles, as the platform shows it to people.
        var sha = design["sha256"]!.GetValue<string>();
        var mine = await Expect(shop.Device(holder.Name), $"/api/v1/embroidery/stitch-files/{sha}/needles");
        var shown = await t.Viewer.GetJsonAsync($"/api/v1/embroidery/designs/{design.Id()}/machines/{shop.MachineIds[holder.Name]}");
        Assert.Equal(shown.ToJsonString(), mine.ToJsonString());
        var other = shop.Names.Single(n => n != holder.Name);
        using var refused = await shop.Device(other).GetAsync($"/api/v1/embroidery/stitch-files/{sha}/needles");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task A_design_job_is_planned_for_its_time_on_the_machine_chosen_at_that_machines_speed_and_heads()
    {
        using var t = await Host.CreateTenantAsync("emb");
        await using var shop = await EmbroideryShop.CreateAsync(Host, t, "emb-a", "emb-b");
        var design = await TestDesigns.CreateAsync(t.Operator, "Crest");
        var threads = design["threads"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        // emb-a: one head at 600 stitches/min; emb-b: four heads at 1,000. Both threaded: no operator waits.
        await t.Operator.PutJsonAsync($"/api/v1/embroidery/machines/{shop.MachineIds["emb-a"]}", new { stitchesPerMinute = 600, needles = threads }, HttpStatusCode.OK);
        var setupB = await t.Operator.PutJsonAsync($"/api/v1/embroidery/machines/{shop.MachineIds["emb-b"]}", new { stitchesPerMinute = 1000, heads = 4, needles = threads }, HttpStatusCode.OK);
        Assert.Equal(4, setupB["heads"]!.GetValue<int>());
        var onB = await t.Viewer.GetJsonAsync($"/api/v1/embroidery/designs/{design.Id()}/machines/{shop.MachineIds["emb-b"]}");
        Assert.Equal(4, onB["heads"]!.GetValue<int>());

        // Eight pieces: two runs of four on emb-b, far quicker than eight on emb-a, so the plan puts the job there for that time.
        var orderId = await shop.OrderAsync(design.Id(), 8);
        var (holder, command) = await shop.NextJobAsync(Soon);
        Assert.Equal("emb-b", holder.Name);
        var onMachine = onB["first"]!["seconds"]!.GetValue<double>() + onB["repeat"]!["seconds"]!.GetValue<double>();
        Assert.Equal(onMachine / 8, command["unitSeconds"]!.GetValue<double>(), 0.05);
        var job = Job(await t.Viewer.GetJsonAsync($"/api/v1/orders/{orderId}"));
        var planned = (job["plannedEnd"]!.GetValue<DateTimeOffset>() - job["plannedStart"]!.GetValue<DateTimeOffset>()).TotalSeconds;
        Assert.InRange(planned, 60 + onMachine - 5, 60 + onMachine + 5);
        Assert.Equal(shop.MachineIds["emb-b"], job["machineId"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_set_up_is_checked_and_a_machine_without_one_or_of_another_tenant_is_not_found()
    {
        using var t = await Host.CreateTenantAsync("emb");
        using var stranger = await Host.CreateTenantAsync("emb");
        await using var shop = await EmbroideryShop.CreateAsync(Host, t, "emb-a");
        var a = shop.MachineIds["emb-a"];
        var path = $"/api/v1/embroidery/machines/{a}";

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, path, null, HttpStatusCode.NotFound, "no embroidery set-up");
        foreach (var (body, field) in new (object, string)[]
        {
            (new { needles = Array.Empty<string>() }, "needles"),
            (new { needles = new[] { "red" } }, "needles"),
            (new { needles = Enumerable.Repeat("#000000", 21).ToArray() }, "needles"),
            (new { stitchesPerMinute = 5000, needles = new[] { "#000000" } }, "stitchesPerMinute"),
            (new { rethreadSeconds = -1, needles = new[] { "#000000" } }, "rethreadSeconds"),
            (new { heads = 0, needles = new[] { "#000000" } }, "heads"),
        })
        {
            var problem = await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, body, HttpStatusCode.BadRequest, field);
            Assert.NotNull(problem["errors"]![field]);
        }

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Put, path, new { needles = new[] { "#000000" } }, HttpStatusCode.Forbidden, "");
        var saved = await t.Operator.PutJsonAsync(path, new { needles = new[] { "#000000", null } }, HttpStatusCode.OK);
        Assert.Equal(800, saved["stitchesPerMinute"]!.GetValue<int>());
        Assert.Null(saved["needles"]![1]);
        await stranger.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { needles = new[] { "#ffffff" } }, HttpStatusCode.NotFound, "machine");
        await stranger.Viewer.SendExpectingProblemAsync(HttpMethod.Get, path, null, HttpStatusCode.NotFound, "machine");
        Assert.Equal("#000000", (await t.Viewer.GetJsonAsync(path))["needles"]![0]!.GetValue<string>());
    }

    private static JsonNode Job(JsonNode order) => order["jobs"]!.AsArray().Single()!;

    private static async Task<JsonNode> Expect(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await HttpAssertions.ExpectAsync(response, HttpStatusCode.OK);
    }

    public sealed class OnSqlite(EmbroiderySqliteHost host) : MachineSetupTests(host), IClassFixture<EmbroiderySqliteHost>;

    public sealed class OnPostgres(EmbroideryPostgresHost host) : MachineSetupTests(host), IClassFixture<EmbroideryPostgresHost>;
}
