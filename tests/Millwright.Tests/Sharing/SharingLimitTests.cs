using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Stitches;
using Millwright.Features.Sharing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Sharing;

/// <summary>
/// Abuse limits of the marketplace (docs/sharing.md, "Limits"): the rate of instant quotes per tenant, and files on
/// requests checked for size and type by content before anyone downloads them, by the buyer and the providers it asked only.
/// </summary>
public abstract class SharingLimitTests(SharingMqttHost fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Quotes_beyond_the_tenants_rate_get_429_with_Retry_After_until_the_bucket_refills()
    {
        var process = "grinding-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        using var other = await Party.CreateAsync(Host, 48.74, 9.31);
        var offer = await provider.OfferAsync(process);
        var request = await buyer.RequestAsync(process, fixture.Clock.Now.AddDays(3));
        var candidates = $"/api/v1/sharing/requests/{request.Id()}/candidates";

        // The host allows 6 quotes a minute: five rankings and a bid pass, the next ranking and bid do not.
        for (var i = 0; i < 5; i++)
        {
            await buyer.Tenant.Viewer.GetJsonAsync(candidates);
        }

        await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
        using (var refused = await buyer.Tenant.Viewer.GetAsync(candidates))
        {
            var problem = await HttpAssertions.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "shared-quote-rate");
            Assert.Equal("shared-quote-rate", problem["quota"]!.GetValue<string>());
            Assert.Equal(TimeSpan.FromSeconds(10), refused.Headers.RetryAfter!.Delta);
        }

        var second = await buyer.RequestAsync(process, fixture.Clock.Now.AddDays(3));
        await buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/requests/{second.Id()}/bids", new { offerId = offer.Id() },
            HttpStatusCode.TooManyRequests, "Retry-After");

        // Another tenant has its own bucket; the buyer's refills at 6 a minute.
        var theirs = await other.RequestAsync(process, fixture.Clock.Now.AddDays(3));
        await other.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{theirs.Id()}/candidates");
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        await buyer.Tenant.Viewer.GetJsonAsync(candidates);
        using var again = await buyer.Tenant.Viewer.GetAsync(candidates);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
    }

    [Fact]
    public async Task Files_are_checked_by_content_and_size_and_only_the_buyer_and_the_providers_it_asked_download_them()
    {
        var process = "drilling-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var unasked = await Party.CreateAsync(Host, 48.79, 9.17, process);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var offer = await provider.OfferAsync(process);
        await unasked.OfferAsync(process);
        var request = await buyer.RequestAsync(process, fixture.Clock.Now.AddDays(3));
        var files = $"/api/v1/sharing/requests/{request.Id()}/files";

        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        var drawing = await UploadAsync(buyer, $"{files}?kind=drawing&name=bracket.pdf", pdf, HttpStatusCode.Created);
        Assert.Equal("application/pdf", drawing["contentType"]!.GetValue<string>());
        Assert.Equal(pdf.Length, drawing["sizeBytes"]!.GetValue<long>());
        var program = await UploadAsync(buyer, $"{files}?kind=program&name=O1001.nc", "%\nO1001 (BRACKET)\nG21 G90\nG0 X0 Y0\nM30\n%\n"u8.ToArray(), HttpStatusCode.Created);
        Assert.Equal("text/x-gcode", program["contentType"]!.GetValue<string>());
        var dst = DstWriter.Write(new StitchPattern([StitchCommand.Stitch(10, 0), StitchCommand.Stitch(10, 20), StitchCommand.Stitch(30, 20)], [ThreadColor.Parse("#ff0000")]), "logo");
        var design = await UploadAsync(buyer, $"{files}?kind=embroidery&name=logo.dst", dst, HttpStatusCode.Created);
        Assert.Equal("application/x-dst", design["contentType"]!.GetValue<string>());

        // The name says nothing: an executable called a PDF, a PDF called a DST, a binary called a program are refused.
        var exe = new byte[] { (byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00 };
        var problem = await UploadAsync(buyer, $"{files}?kind=drawing&name=drawing.pdf", exe, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("PDF, PNG, JPEG, DXF or STEP", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await UploadAsync(buyer, $"{files}?kind=embroidery&name=logo.dst", pdf, HttpStatusCode.UnsupportedMediaType);
        await UploadAsync(buyer, $"{files}?kind=program&name=O2.nc", exe, HttpStatusCode.UnsupportedMediaType);
        await UploadAsync(buyer, $"{files}?kind=spreadsheet&name=a.pdf", pdf, HttpStatusCode.BadRequest);
        var huge = new byte[SharingFiles.MaxBytes + 1];
        "%PDF-1.7\n"u8.CopyTo(huge);
        problem = await UploadAsync(buyer, $"{files}?kind=drawing&name=huge.pdf", huge, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("10 MiB", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, (await buyer.Tenant.Viewer.GetJsonAsync(files)).AsArray().Count);

        // Providers see no file until the buyer asks them for a quote; then that provider (and only it) downloads.
        await provider.Tenant.Viewer.GetJsonAsync(files, HttpStatusCode.NotFound);
        await provider.Tenant.Viewer.GetJsonAsync($"{files}/{drawing.Id()}", HttpStatusCode.NotFound);
        await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
        Assert.Equal(3, (await provider.Tenant.Viewer.GetJsonAsync(files)).AsArray().Count);
        using (var download = await provider.Tenant.Viewer.GetAsync($"{files}/{drawing.Id()}"))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        }

        using (var own = await buyer.Tenant.Viewer.GetAsync($"{files}/{design.Id()}"))
        {
            Assert.Equal(dst, await own.Content.ReadAsByteArrayAsync());
        }

        await unasked.Tenant.Viewer.GetJsonAsync(files, HttpStatusCode.NotFound);
        await unasked.Tenant.Viewer.GetJsonAsync($"{files}/{drawing.Id()}", HttpStatusCode.NotFound);
        await UploadAsync(provider, $"{files}?kind=drawing&name=mine.pdf", pdf, HttpStatusCode.NotFound);

        Assert.Contains(await buyer.AuditSummariesAsync(), e => e.StartsWith("download sharing_request", StringComparison.Ordinal) && e.Contains("bracket.pdf", StringComparison.Ordinal));
        Assert.Contains(await provider.AuditSummariesAsync(), e => e.StartsWith("download sharing_request", StringComparison.Ordinal));
        Assert.Equal(3, (await buyer.AuditSummariesAsync()).Count(e => e.StartsWith("attach sharing_request", StringComparison.Ordinal)));
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> UploadAsync(Party party, string path, byte[] content, HttpStatusCode expected)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await party.Tenant.Operator.PostAsync(path, body);
        return await HttpAssertions.ExpectAsync(response, expected);
    }

    public sealed class OnSqlite(SqliteSharingMqttHost host) : SharingLimitTests(host), IClassFixture<SqliteSharingMqttHost>;

    public sealed class OnPostgres(PostgresSharingMqttHost host) : SharingLimitTests(host), IClassFixture<PostgresSharingMqttHost>;
}
