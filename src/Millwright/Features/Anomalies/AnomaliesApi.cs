using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Anomalies;

internal static class AnomaliesApi
{
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    public static void MapAnomalies(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/v1/machine-types/{typeId:long}/anomaly-settings").WithTags("Anomalies");
        settings.MapGet("/", async (long typeId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => AnomalySettings.GetAsync(s, typeId), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Which of the type's tags are watched for anomalies, how sensitively, and how severe their alarms are.");
        settings.MapPut("/", async (long typeId, AnomalySettingsInput input, Caller caller, Sessions sessions, AnomalyWatcher watcher, CancellationToken ct) =>
            {
                var result = await sessions.RunAsync(caller, s => AnomalySettings.PutAsync(s, typeId, input), ct);
                watcher.Invalidate(caller.Tenant);
                return TypedResults.Ok(result);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Replace the type's anomaly settings (an empty list watches nothing).");

        app.MapGet("/api/v1/machines/{id:long}/anomalies", async (long id, string? from, string? to, string? tag, int? limit, Caller caller, Sessions sessions,
                AnomalyWatcher watcher, TimeProvider clock, CancellationToken ct) =>
            {
                var range = TimeRange.Parse(from, to, TimeSpan.FromDays(1), MaxRange, clock.GetUtcNow().ToUnixTimeMilliseconds());
                var take = limit ?? 500;
                if (take is < 1 or > 5000)
                {
                    throw ApiProblem.Invalid("limit", "must be 1..5000");
                }

                var rows = await sessions.RunAsync(caller, async s =>
                {
                    if (await AnomalySettings.ForMachineAsync(s, id) is null)
                    {
                        throw ApiProblem.NotFound("machine", id);
                    }

                    return await AnomalyStore.ListAsync(s, id, range, tag, take);
                }, ct);
                return TypedResults.Ok(new MachineAnomaliesDto(id, DateTimeOffset.FromUnixTimeMilliseconds(range.From), DateTimeOffset.FromUnixTimeMilliseconds(range.To),
                    watcher.Status(caller.Tenant, id), [.. rows.Select(r => r.AsDto())]));
            })
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Anomalies")
            .WithSummary("The machine's anomalous readings in [from, to) (the last 24 hours by default), newest first, and what each watched series has learned.");

        app.MapGet("/api/v1/machines/{id:long}/anomalies/band", async (long id, string? tag, string? from, string? to, Caller caller, Sessions sessions,
                AnomalyWatcher watcher, TimeProvider clock, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(tag))
                {
                    throw ApiProblem.Invalid("tag", "is required: the tag whose band to show");
                }

                var range = TimeRange.Parse(from, to, TimeSpan.FromHours(1), MaxRange, clock.GetUtcNow().ToUnixTimeMilliseconds());
                var (stored, rows) = await sessions.RunAsync(caller, async s =>
                {
                    if (await AnomalySettings.ForMachineAsync(s, id) is null)
                    {
                        throw ApiProblem.NotFound("machine", id);
                    }

                    var series = await AnomalyStore.SeriesIdAsync(s, id, tag);
                    IReadOnlyList<AnomalyBand> band = series is { } seriesId ? await AnomalyStore.BandAsync(s, seriesId, range) : [];
                    return (band, await AnomalyStore.ListAsync(s, id, range, tag, 5000));
                }, ct);
                return TypedResults.Ok(new AnomalyBandDto(id, tag, DateTimeOffset.FromUnixTimeMilliseconds(range.From), DateTimeOffset.FromUnixTimeMilliseconds(range.To),
                    Combine(stored, watcher.UnsavedBand(caller.Tenant, id, tag), range), [.. rows.Reverse().Select(r => r.AsDto())]));
            })
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Anomalies")
            .WithSummary("The tag's band of expected values per minute in [from, to) (the last hour by default) and its anomalies, oldest first: what the machine page draws around the chart.");

        app.MapPost("/api/v1/machines/{id:long}/anomalies/{anomalyId:long}/feedback", async (long id, long anomalyId, FeedbackInput input, Caller caller,
                Sessions sessions, AnomalyWatcher watcher, CancellationToken ct) =>
            {
                var (row, discounts) = await sessions.RunAsync(caller, s => AnomalyFeedback.MarkAsync(s, id, anomalyId, input), ct);
                watcher.FeedbackApplied(caller.Tenant, id, row.Tag, discounts);
                return TypedResults.Ok(row.AsDto());
            })
            .RequireAuthorization(Policies.Operator)
            .WithTags("Anomalies")
            .WithSummary("An operator marks an anomaly as a false or a true alarm; the series' sensitivity to that kind of deviation follows.");
    }

    /// <summary>Stored minutes and those still in memory as one band, a minute in both merged.</summary>
    private static List<BandMinuteDto> Combine(IReadOnlyList<AnomalyBand> stored, IReadOnlyList<AnomalyBand> unsaved, TimeRange range)
    {
        var byMinute = stored.ToDictionary(b => b.Minute);
        foreach (var b in unsaved.Where(b => b.Minute >= range.From && b.Minute < range.To))
        {
            byMinute[b.Minute] = byMinute.TryGetValue(b.Minute, out var known) ? known.Merge(b) : b;
        }

        return [.. byMinute.Values.OrderBy(b => b.Minute).Select(b => b.AsDto())];
    }
}
