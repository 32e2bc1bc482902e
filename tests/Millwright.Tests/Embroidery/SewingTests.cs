using System.Net;
using System.Security.Cryptography;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Stitches;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Models;

namespace Millwright.Tests.Embroidery;

/// <summary>How the virtual embroidery machine sews a design it fetched: its time, its needle, its stitch file's checks.</summary>
public sealed class SewingTests
{
    // 100 stitches in two colours with one trim: at 600 stitches a minute, 10 s of stitching + 3 s trim + 6 s change.
    private static StitchPattern Pattern()
    {
        var commands = new List<StitchCommand>();
        for (var i = 1; i <= 50; i++)
        {
            commands.Add(StitchCommand.Stitch(i * 10, 0));
        }

        commands.Add(new StitchCommand(StitchKind.Trim, 500, 0));
        commands.Add(new StitchCommand(StitchKind.ColorChange, 500, 0));
        for (var i = 1; i <= 50; i++)
        {
            commands.Add(StitchCommand.Stitch(500, i * 10));
        }

        return new StitchPattern(commands, StitchPattern.DefaultThreads(2));
    }

    private static readonly EmbroideryPace Slow = new() { StitchesPerMinute = 600, TrimSeconds = 3, ColourChangeSeconds = 6, BreaksPerStitch = 0 };

    [Fact]
    public void A_piece_takes_its_stitches_at_the_pace_plus_its_trims_and_colour_changes()
    {
        var run = new DesignRun(Pattern(), Slow);
        var random = new Random(1);

        var first = run.Sew(18.9, random);
        Assert.Equal(0, first.Pieces);
        Assert.Equal(2, run.Needle);
        Assert.Equal(1, first.ColourChanges);
        Assert.InRange(first.Stitches, 98, 99);

        var second = run.Sew(0.2, random);
        Assert.Equal(1, second.Pieces);
        Assert.Equal(100, first.Stitches + second.Stitches);
        Assert.Equal(1, run.Needle);
        Assert.True(run.HasTime, "the time after the piece's end is kept for the next piece");
    }

    [Fact]
    public void A_colour_beyond_the_machine_needles_waits_for_the_operator_and_a_broken_thread_for_the_rethread()
    {
        var oneNeedle = Slow with { Needles = 1, OperatorSeconds = 60 };
        Assert.Equal(0, new DesignRun(Pattern(), oneNeedle).Sew(10 + 3 + 6 + 60 - 1, new Random(1)).Pieces);
        Assert.Equal(1, new DesignRun(Pattern(), oneNeedle).Sew(10 + 3 + 6 + 60 + 1, new Random(1)).Pieces);

        var breaking = Slow with { BreaksPerStitch = 1, RethreadSeconds = 1 };
        var step = new DesignRun(Pattern(), breaking).Sew(19 + 100 + 1, new Random(1));
        Assert.Equal(100, step.Breaks);
        Assert.Equal(1, step.Pieces);
    }

    [Fact]
    public void With_the_platform_needle_plan_each_colour_takes_its_needle_and_threading_waits_on_the_first_piece_only()
    {
        // First piece: needle 3, then needle 5 which the operator threads (60 s); the next pieces find it threaded.
        var schedule = new NeedleSchedule([new(3, false), new(5, true)], [new(3, false), new(5, false)]);
        var run = new DesignRun(Pattern(), Slow with { OperatorSeconds = 60 }, schedule);
        var random = new Random(1);
        Assert.Equal(3, run.Needle);

        Assert.Equal(0, run.Sew(10 + 3 + 6 + 60 - 1, random).Pieces);
        Assert.Equal(5, run.Needle);
        Assert.Equal(1, run.Sew(2, random).Pieces);
        Assert.Equal(3, run.Needle);
        Assert.Equal(1, run.OperatorWaits);

        Assert.Equal(0, run.Sew(10 + 3 + 6 - 2, random).Pieces);
        Assert.Equal(1, run.Sew(2, random).Pieces);
        Assert.Equal(1, run.OperatorWaits);

        // A first block the operator must thread holds the machine before its first stitch.
        var threadFirst = new DesignRun(Pattern(), Slow with { OperatorSeconds = 60 }, new NeedleSchedule([new(2, true), new(1, false)], [new(2, false), new(1, false)]));
        Assert.Equal(0, threadFirst.Sew(59, random).Stitches);
    }

    [Fact]
    public async Task A_stitch_file_is_fetched_with_the_device_credential_and_checked_against_its_hash()
    {
        var dst = DstWriter.Write(Pattern(), "test");
        var sha = Convert.ToHexStringLower(SHA256.HashData(dst));
        using var handler = new FileServer(dst);
        using var fetcher = new DesignFetcher(new Uri("http://platform.test/"), "emb-001", "s3cret", handler);

        var pattern = await fetcher.FetchAsync(new DesignReference(sha, $"/api/v1/embroidery/stitch-files/{sha}", dst.Length), CancellationToken.None);
        Assert.Equal(100, pattern.StitchCount);
        Assert.Equal("Basic ZW1iLTAwMTpzM2NyZXQ=", handler.Authorization);
        Assert.Equal($"http://platform.test/api/v1/embroidery/stitch-files/{sha}", handler.Uri);
        await fetcher.FetchAsync(new DesignReference(sha, $"/api/v1/embroidery/stitch-files/{sha}", dst.Length), CancellationToken.None);
        Assert.Equal(1, fetcher.Fetched);

        var other = new string('a', 64);
        var wrongHash = await Assert.ThrowsAsync<DesignFetchException>(() => fetcher.FetchAsync(new DesignReference(other, "/x", dst.Length), CancellationToken.None));
        Assert.Contains("another SHA-256", wrongHash.Message, StringComparison.Ordinal);
        var wrongSize = await Assert.ThrowsAsync<DesignFetchException>(() => fetcher.FetchAsync(new DesignReference(other, "/x", dst.Length - 1), CancellationToken.None));
        Assert.Contains("bytes", wrongSize.Message, StringComparison.Ordinal);
        handler.Status = HttpStatusCode.NotFound;
        var missing = await Assert.ThrowsAsync<DesignFetchException>(() => fetcher.FetchAsync(new DesignReference(other, "/x", dst.Length), CancellationToken.None));
        Assert.Contains("404", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"job","jobId":1,"quantity":1,"unitSeconds":1,"customization":{"embroidery":{"sha256":"abc","url":"/f","bytes":10}}}""", "sha256")]
    [InlineData("""{"type":"job","jobId":1,"quantity":1,"unitSeconds":1,"customization":{"embroidery":{"sha256":"HASH","url":"https://evil.example/f","bytes":10}}}""", "url")]
    [InlineData("""{"type":"job","jobId":1,"quantity":1,"unitSeconds":1,"customization":{"embroidery":{"sha256":"HASH","url":"//evil.example/f","bytes":10}}}""", "url")]
    [InlineData("""{"type":"job","jobId":1,"quantity":1,"unitSeconds":1,"customization":{"embroidery":{"sha256":"HASH","url":"/f","bytes":0}}}""", "bytes")]
    public void A_job_naming_a_design_badly_is_rejected_naming_the_field(string json, string field)
    {
        var command = JobCommandParser.Parse(System.Text.Encoding.UTF8.GetBytes(json.Replace("HASH", new string('0', 64), StringComparison.Ordinal)));
        Assert.Equal(JobCommandKind.InvalidJob, command.Kind);
        Assert.Contains(field, command.Error, StringComparison.Ordinal);
    }

    /// <summary>The platform's stitch-file route, as far as a fetcher can tell: one file, the credential it was sent with.</summary>
    private sealed class FileServer(byte[] file) : HttpMessageHandler
    {
        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public string? Authorization { get; private set; }

        public string? Uri { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorization = request.Headers.Authorization?.ToString();
            Uri = request.RequestUri?.ToString();
            return Task.FromResult(new HttpResponseMessage(Status) { Content = new ByteArrayContent(Status == HttpStatusCode.OK ? file : []) });
        }
    }
}
