using System.Globalization;
using System.Text;
using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Series;

/// <summary>
/// Stored telemetry over REST: a machine's series, a raw range (JSON pages or a streamed CSV), an aggregated
/// range with a bucket size, and a chart of at most N points for any range. Times in and out carry their zone
/// (<see cref="TimeRange"/>); output is UTC.
/// </summary>
internal static class SeriesApi
{
    public const int MaxRawPoints = 100_000;
    public const int MaxBuckets = 10_000;
    public const int MaxChartPoints = 10_000;
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    public static void MapSeries(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/machines/{id:long}/series").WithTags("Series").RequireAuthorization(Policies.Viewer);

        group.MapGet("/", async (long id, Caller caller, Sessions sessions, TelemetryStorage storage, CancellationToken ct) =>
        {
            await RequireMachineAsync(id, caller, sessions, ct);
            return TypedResults.Ok(storage.Store.ListSeries(caller.Tenant, id)
                .Select(s => new SeriesDto(s.Key.Tag, s.Kind.ToString().ToLowerInvariant(), s.WrapModulus > 0 ? s.WrapModulus : null))
                .OrderBy(s => s.Tag, StringComparer.Ordinal).ToList());
        }).WithSummary("The machine's stored series (one per tag) and their kinds.");

        group.MapGet("/{tag}/points", async (long id, string tag, string? from, string? to, int? limit, Caller caller, Sessions sessions, TelemetryStorage storage, TimeProvider clock, CancellationToken ct) =>
        {
            var series = await SeriesAsync(id, tag, caller, sessions, storage, ct);
            var range = TimeRange.Parse(from, to, TimeSpan.FromHours(1), MaxRange, Now(clock));
            var take = limit ?? 10_000;
            if (take is < 1 or > MaxRawPoints)
            {
                throw ApiProblem.Invalid("limit", $"must be 1 to {MaxRawPoints}");
            }

            // One more than asked tells whether the range holds more; "next" continues after the last point.
            var points = await storage.Store.ReadAsync(series.Key, range.From, range.To, take + 1, ct);
            var more = points.Count > take;
            var page = points.Take(take).Select(p => new PointDto(Time(p.Timestamp), Value(series.Kind, p))).ToList();
            return TypedResults.Ok(new PointsDto(series.Key.Tag, page, more ? Time(points[take - 1].Timestamp + 1) : null));
        }).WithSummary("Raw points in [from, to), oldest first, at most limit (default 10,000); 'next' is the 'from' of the next page.");

        group.MapGet("/{tag}/points.csv", async (long id, string tag, string? from, string? to, HttpContext http, Caller caller, Sessions sessions, TelemetryStorage storage, TimeProvider clock, CancellationToken ct) =>
        {
            var series = await SeriesAsync(id, tag, caller, sessions, storage, ct);
            var range = TimeRange.Parse(from, to, TimeSpan.FromDays(1), MaxRange, Now(clock));
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"machine-{id}-{series.Key.Tag}.csv\"";
            await WriteCsvAsync(http.Response.Body, series, range, storage.Store, ct);
        }).WithSummary("Raw points in [from, to) as CSV (time,value), streamed page by page: any range up to 400 days.");

        group.MapGet("/{tag}/aggregate", async (long id, string tag, string? from, string? to, string? bucket, Caller caller, Sessions sessions, TelemetryStorage storage, TimeProvider clock, CancellationToken ct) =>
        {
            var series = await SeriesAsync(id, tag, caller, sessions, storage, ct);
            NeedsNumbers(series);
            var range = TimeRange.Parse(from, to, TimeSpan.FromDays(1), MaxRange, Now(clock));
            var width = TimeRange.ParseDuration("bucket", bucket ?? "1h");
            if (range.Length / width > MaxBuckets)
            {
                throw ApiProblem.Invalid("bucket", $"the range holds more than {MaxBuckets} buckets of this size; choose a larger bucket");
            }

            var buckets = await storage.Store.AggregateAsync(series.Key, range.From, range.To, width, ct);
            return TypedResults.Ok(buckets.Select(b => new BucketDto(Time(b.Start), b.Count, b.Min, b.Max, b.Avg, b.First, b.Last, b.Increase)).ToList());
        }).WithSummary("Count, min, max, avg, first, last (and increase for counters) per bucket (500ms..1000d, aligned to UTC epoch); buckets without points are left out.");

        group.MapGet("/{tag}/chart", async (long id, string tag, string? from, string? to, int? points, Caller caller, Sessions sessions, TelemetryStorage storage, TimeProvider clock, CancellationToken ct) =>
        {
            var series = await SeriesAsync(id, tag, caller, sessions, storage, ct);
            NeedsNumbers(series);
            var range = TimeRange.Parse(from, to, TimeSpan.FromDays(1), MaxRange, Now(clock));
            var count = points ?? 1000;
            if (count is < 2 or > MaxChartPoints)
            {
                throw ApiProblem.Invalid("points", $"must be 2 to {MaxChartPoints}");
            }

            var chart = await storage.Store.ChartAsync(series.Key, range.From, range.To, count, ct);
            return TypedResults.Ok(new ChartDto(chart.BucketMs, chart.Points.Select(c => new ChartPointDto(Time(c.Timestamp), c.Min, c.Max)).ToList()));
        }).WithSummary("At most 'points' (default 1,000) columns for any range: the lowest and highest value in each, so no peak is lost.");
    }

    private static async Task WriteCsvAsync(Stream body, SeriesInfo series, TimeRange range, TimeSeriesStore store, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteAsync($"time,{series.Key.Tag}\n");
        var from = range.From;
        while (from < range.To)
        {
            var page = await store.ReadAsync(series.Key, from, range.To, 10_000, ct);
            foreach (var point in page)
            {
                await writer.WriteAsync(Time(point.Timestamp).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
                await writer.WriteAsync(',');
                await writer.WriteAsync(Csv(series.Kind, point));
                await writer.WriteAsync('\n');
            }

            if (page.Count < 10_000)
            {
                break;
            }

            from = page[^1].Timestamp + 1;
            await writer.FlushAsync(ct);
        }
    }

    private static string Csv(SeriesKind kind, TimePoint point) => kind switch
    {
        SeriesKind.Text => CsvCells.Quote(point.Text ?? ""),
        SeriesKind.Boolean => point.Number != 0 ? "true" : "false",
        _ => point.Number.ToString("R", CultureInfo.InvariantCulture),
    };

    private static async Task RequireMachineAsync(long id, Caller caller, Sessions sessions, CancellationToken ct) =>
        await sessions.RunAsync(caller, s => Machines.Machines.GetAsync(s, id), ct);

    private static async Task<SeriesInfo> SeriesAsync(long id, string tag, Caller caller, Sessions sessions, TelemetryStorage storage, CancellationToken ct)
    {
        await RequireMachineAsync(id, caller, sessions, ct);
        return storage.Store.FindSeries(new SeriesKey(caller.Tenant, id, tag))
            ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Machine {id} has no stored values of tag '{tag}'.");
    }

    private static void NeedsNumbers(SeriesInfo series)
    {
        if (series.Kind == SeriesKind.Text)
        {
            throw ApiProblem.Invalid("tag", $"'{series.Key.Tag}' holds text: read its points instead");
        }
    }

    // A series never holds a number that is not finite, so no stored value is null.
    private static object Value(SeriesKind kind, TimePoint point) => TelemetryStorage.ValueOf(kind, point.Number, point.Text).AsObject()!;

    private static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
