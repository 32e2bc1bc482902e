using System.Net;
using System.Text;
using Millwright.Embroidery.Dst;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Embroidery;

/// <summary>The design service over REST (docs/embroidery.md): upload, stats, price, previews, refusals, quota, isolation.</summary>
public abstract class EmbroideryApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task An_uploaded_svg_is_digitized_and_answers_its_stats_price_previews_and_stitch_file()
    {
        using var t = await Host.CreateTenantAsync("emb");
        var design = await TestDesigns.CreateAsync(t.Operator, "Club badge");

        Assert.Equal("Club badge", design["name"]!.GetValue<string>());
        var stitches = design["stitches"]!.GetValue<long>();
        Assert.InRange(stitches, 300, 20_000);
        Assert.Equal(1, design["colourChanges"]!.GetValue<long>());
        Assert.Equal(["#c62828", "#1f3a93"], design["threads"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.InRange(design["widthMm"]!.GetValue<double>(), 17, 19.5);
        var price = design["price"]!;
        var perPiece = (stitches / 1000m * 0.60m) + 0.25m + (design["trims"]!.GetValue<long>() * 0.05m);
        Assert.Equal(Math.Round(perPiece, 2, MidpointRounding.AwayFromZero), price["perPiece"]!.GetValue<decimal>());
        Assert.Equal(15m + (2 * 1.50m), price["setup"]!.GetValue<decimal>());
        Assert.Equal("EUR", price["currency"]!.GetValue<string>());

        // The stitch file is named by its hash and reads back to the stitch count the design reports.
        var links = design["links"]!;
        using var dst = await t.Viewer.GetAsync(links["dst"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, dst.StatusCode);
        var bytes = await dst.Content.ReadAsByteArrayAsync();
        Assert.Equal(design["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        Assert.Equal(stitches, DstReader.Read(bytes).Pattern.StitchCount);
        using var exp = await t.Viewer.GetAsync($"/api/v1/embroidery/designs/{design.Id()}/exp");
        Assert.Equal("application/x-melco-exp", exp.Content.Headers.ContentType!.MediaType);
        Assert.Equal(DstReader.Read(bytes).Pattern.Commands, Millwright.Embroidery.Exp.ExpReader.Read(await exp.Content.ReadAsByteArrayAsync()).Commands);

        using var png = await t.Viewer.GetAsync(links["previewPng"]!.GetValue<string>());
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, (await png.Content.ReadAsByteArrayAsync())[..4]);
        var svg = await t.Viewer.GetStringAsync(links["previewSvg"]!.GetValue<string>());
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("#1f3a93", svg, StringComparison.Ordinal);

        // The same SVG under the same name digitizes to the same file (the name is the DST header's label): both kept once.
        var again = await TestDesigns.CreateAsync(t.Operator, "Club badge");
        Assert.Equal(design["sha256"]!.GetValue<string>(), again["sha256"]!.GetValue<string>());
        Assert.Equal(design["sourceSha256"]!.GetValue<string>(), again["sourceSha256"]!.GetValue<string>());
        Assert.Equal(2, (await t.Viewer.GetJsonAsync("/api/v1/embroidery/designs"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_same_stitch_file_uploaded_several_times_at_once_is_taken_every_time_and_kept_once()
    {
        using var t = await Host.CreateTenantAsync("emb");
        var design = await TestDesigns.CreateAsync(t.Operator, "Source");
        var dst = await (await t.Viewer.GetAsync(design["links"]!["dst"]!.GetValue<string>())).Content.ReadAsByteArrayAsync();
        var other = (byte[])dst.Clone();
        other[3] ^= 0x01; // a different label in the header: another file with the same stitches

        var uploads = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await TestDesigns.UploadAsync(t.Operator, other, "name=Twin", "application/x-tajima-dst");
            return (await HttpAssertions.ExpectAsync(response, HttpStatusCode.Created))["sha256"]!.GetValue<string>();
        }));

        Assert.Single(uploads.Distinct());
        Assert.Equal(5, (await t.Viewer.GetJsonAsync("/api/v1/embroidery/designs"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_stitch_file_made_elsewhere_is_taken_and_a_corrupt_one_is_refused_with_the_byte_offset()
    {
        using var t = await Host.CreateTenantAsync("emb");
        var design = await TestDesigns.CreateAsync(t.Operator, "Source");
        var dst = await (await t.Viewer.GetAsync(design["links"]!["dst"]!.GetValue<string>())).Content.ReadAsByteArrayAsync();

        using var taken = await TestDesigns.UploadAsync(t.Operator, dst, "name=Imported", "application/x-tajima-dst");
        var imported = await HttpAssertions.ExpectAsync(taken, HttpStatusCode.Created);
        Assert.Equal(design["stitches"]!.GetValue<long>(), imported["stitches"]!.GetValue<long>());
        Assert.Equal(design["sha256"]!.GetValue<string>(), imported["sha256"]!.GetValue<string>());

        using var truncated = await TestDesigns.UploadAsync(t.Operator, dst[..(dst.Length - 4)], "name=Cut", "application/x-tajima-dst");
        var problem = await HttpAssertions.AssertProblemAsync(truncated, HttpStatusCode.UnprocessableEntity, "");
        Assert.Equal("malformed", problem["problem"]!.GetValue<string>());
        Assert.InRange(problem["offset"]!.GetValue<long>(), 512, dst.Length);

        var header = (byte[])dst.Clone();
        header[0] = (byte)'X';
        using var wrong = await TestDesigns.UploadAsync(t.Operator, header, "name=Bad", "application/x-tajima-dst");
        Assert.Equal(0, (await HttpAssertions.AssertProblemAsync(wrong, HttpStatusCode.UnprocessableEntity, "LA"))["offset"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_png_or_jpeg_logo_is_traced_in_the_colours_asked_for_and_the_background_left_out()
    {
        using var t = await Host.CreateTenantAsync("emb");
        using var png = await TestDesigns.UploadAsync(t.Operator, TestLogos.TwoColourPng(), "name=Logo&colors=2&widthMm=50", "image/png");
        var design = await HttpAssertions.ExpectAsync(png, HttpStatusCode.Created);
        Assert.Equal(2, design["threads"]!.AsArray().Count);
        Assert.InRange(design["widthMm"]!.GetValue<double>(), 42, 51);
        Assert.Equal(1, design["colourChanges"]!.GetValue<long>());

        using var jpeg = await TestDesigns.UploadAsync(t.Operator, TestLogos.TwoColourJpeg(), "name=Logo&colors=2&widthMm=50", "image/jpeg");
        Assert.Equal(2, (await HttpAssertions.ExpectAsync(jpeg, HttpStatusCode.Created))["threads"]!.AsArray().Count);

        using var notAnImage = await TestDesigns.UploadAsync(t.Operator, TestDesigns.Badge, "name=Logo", "image/png");
        Assert.Equal("malformed", (await HttpAssertions.AssertProblemAsync(notAnImage, HttpStatusCode.UnprocessableEntity, "image"))["problem"]!.GetValue<string>());
        using var colours = await TestDesigns.UploadAsync(t.Operator, TestDesigns.Badge, "name=x&colors=3");
        await HttpAssertions.AssertProblemAsync(colours, HttpStatusCode.BadRequest, "colors");
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect", "name=x", "malformed")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20mm\" height=\"20mm\"><rect width=\"10\" height=\"10\" fill=\"none\"/></svg>", "name=x", "empty")]
    [InlineData(TestDesigns.Badge, "name=x&hoop=10x10", "too-large-for-hoop")]
    [InlineData(TestDesigns.Badge, "name=x&fabric=cap&widthMm=150", "too-large-for-hoop")]
    public async Task A_design_that_cannot_be_stitched_is_refused_with_a_problem_naming_why_and_nothing_is_stored(string svg, string query, string why)
    {
        using var t = await Host.CreateTenantAsync("emb");
        using var response = await TestDesigns.UploadAsync(t.Operator, svg, query);
        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "");
        Assert.Equal(why, problem["problem"]!.GetValue<string>());
        Assert.Empty((await t.Viewer.GetJsonAsync("/api/v1/embroidery/designs"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Uploads_outside_the_limits_are_refused_by_name()
    {
        using var t = await Host.CreateTenantAsync("emb");
        using (var huge = await TestDesigns.UploadAsync(t.Operator, new byte[1_000_001], "name=x"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }

        using (var plain = await TestDesigns.UploadAsync(t.Operator, TestDesigns.Badge, "name=x", "text/plain"))
        {
            await HttpAssertions.AssertProblemAsync(plain, HttpStatusCode.BadRequest, "contentType");
        }

        using (var fabric = await TestDesigns.UploadAsync(t.Operator, TestDesigns.Badge, "name=x&fabric=leather"))
        {
            await HttpAssertions.AssertProblemAsync(fabric, HttpStatusCode.BadRequest, "fabric");
        }

        using var viewer = await TestDesigns.UploadAsync(t.Viewer, TestDesigns.Badge, "name=x");
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
    }

    [Fact]
    public async Task The_designs_quota_is_kept_and_named()
    {
        using var t = await Host.CreateTenantAsync("emb");
        for (var i = 0; i < EmbroiderySqliteHost.DesignsQuota; i++)
        {
            await TestDesigns.CreateAsync(t.Operator, $"design {i}");
        }

        using var response = await TestDesigns.UploadAsync(t.Operator, TestDesigns.Badge, "name=one-too-many");
        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden, "embroidery-designs");
        Assert.Equal("embroidery-designs", problem["quota"]!.GetValue<string>());
        var quota = (await t.Viewer.GetJsonAsync("/api/v1/quotas"))["quotas"]!.AsArray().Single(q => q!["name"]!.GetValue<string>() == "embroidery-designs")!;
        Assert.Equal(EmbroiderySqliteHost.DesignsQuota, quota["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task Another_tenant_can_neither_see_nor_fetch_a_design_nor_order_it()
    {
        using var a = await Host.CreateTenantAsync("emb");
        using var b = await Host.CreateTenantAsync("emb");
        var plantA = await Plant.CreateAsync(a);
        var plantB = await Plant.CreateAsync(b);
        var design = await TestDesigns.CreateAsync(a.Operator, $"{plantA.Marker} secret");
        var id = design.Id();
        var sha = design["sha256"]!.GetValue<string>();

        foreach (var path in new[] { $"/api/v1/embroidery/designs/{id}", $"/api/v1/embroidery/designs/{id}/dst", $"/api/v1/embroidery/designs/{id}/preview.png", $"/api/v1/embroidery/designs/{id}/preview.svg" })
        {
            using var response = await b.Admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(plantA.Marker, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty((await b.Admin.GetJsonAsync("/api/v1/embroidery/designs"))["items"]!.AsArray());
        await b.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/embroidery/designs/{id}/orders",
            new { customer = "x", itemId = plantB.ItemId, siteId = plantB.SiteId, quantity = 1, dueAt = DateTimeOffset.UtcNow.AddDays(1) }, HttpStatusCode.NotFound, "embroidery design");

        // The stitch file: no machine fetches it without holding a job of it (StitchFileAccessTests), B's no more than A's; nor may an API key.
        using var deviceA = TestDesigns.Device(Host, plantA.Username, plantA.Secret);
        using var deviceB = TestDesigns.Device(Host, plantB.Username, plantB.Secret);
        var file = $"/api/v1/embroidery/stitch-files/{sha}";
        Assert.Equal(HttpStatusCode.NotFound, (await deviceA.GetAsync(file)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await deviceB.GetAsync(file)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await a.Admin.GetAsync(file)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TestDesigns.Device(Host, plantA.Username, "wrong-secret").GetAsync(file)).StatusCode);
    }

    public sealed class OnSqlite(EmbroiderySqliteHost host) : EmbroideryApiTests(host), IClassFixture<EmbroiderySqliteHost>;

    public sealed class OnPostgres(EmbroideryPostgresHost host) : EmbroideryApiTests(host), IClassFixture<EmbroideryPostgresHost>;
}
