using System.Net;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Embroidery;

/// <summary>
/// Per-job access to stitch files: a machine fetches the DST of a job while it holds it (sent to it, then
/// running), and no other machine does, of its tenant or another; once the job is done the file is closed to it too.
/// </summary>
public abstract class StitchFileAccessTests(HostFixture fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Only_the_machine_holding_a_job_fetches_its_stitch_file_and_only_while_it_holds_it()
    {
        using var t = await Host.CreateTenantAsync("emb");
        using var stranger = await Host.CreateTenantAsync("emb");
        await using var shop = await EmbroideryShop.CreateAsync(Host, t, "emb-a", "emb-b");
        var plantB = await Plant.CreateAsync(stranger);
        var design = await TestDesigns.CreateAsync(t.Operator, "Crest");
        var sha = design["sha256"]!.GetValue<string>();
        var file = $"/api/v1/embroidery/stitch-files/{sha}";
        using var deviceB = TestDesigns.Device(Host, plantB.Username, plantB.Secret);

        // Before any job: the file is closed to every machine.
        foreach (var name in shop.Names)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await shop.Device(name).GetAsync(file)).StatusCode);
        }

        var placed = await shop.OrderAsync(design.Id(), 2);
        var (holder, command) = await shop.NextJobAsync(Soon);
        var other = shop.Names.Single(n => n != holder.Name);
        Assert.Equal(file, command["customization"]!["embroidery"]!["url"]!.GetValue<string>());

        // Sent to it: the holder fetches the file; its neighbour and another tenant's machine get 404 for the same hash.
        using (var fetched = await shop.Device(holder.Name).GetAsync(file))
        {
            Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
            Assert.Equal(design["dstBytes"]!.GetValue<long>(), (await fetched.Content.ReadAsByteArrayAsync()).LongLength);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await shop.Device(other).GetAsync(file)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await deviceB.GetAsync(file)).StatusCode);

        // Running there: still the holder's alone.
        await holder.AnswerAsync(command, "accepted");
        await shop.WaitForOrderAsync(placed, o => o["jobs"]![0]!["status"]!.GetValue<string>() == "running", Soon);
        Assert.Equal(HttpStatusCode.OK, (await shop.Device(holder.Name).GetAsync(file)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shop.Device(other).GetAsync(file)).StatusCode);

        // Done: the job is no longer held, so the file is closed to its machine as well.
        await holder.AnswerAsync(command, "completed");
        await shop.WaitForOrderAsync(placed, o => o["status"]!.GetValue<string>() == "completed", Soon);
        Assert.Equal(HttpStatusCode.NotFound, (await shop.Device(holder.Name).GetAsync(file)).StatusCode);
    }

    public sealed class OnSqlite(EmbroiderySqliteHost host) : StitchFileAccessTests(host), IClassFixture<EmbroiderySqliteHost>;

    public sealed class OnPostgres(EmbroideryPostgresHost host) : StitchFileAccessTests(host), IClassFixture<EmbroideryPostgresHost>;
}
