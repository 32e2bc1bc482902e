using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Series;

/// <summary>A tenant's telemetry retention per level: raw points, 1-minute and 1-hour rollups.</summary>
internal static class RetentionApi
{
    public static void MapRetention(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/retention", async (Caller caller, TelemetryStorage storage, CancellationToken ct) =>
                TypedResults.Ok(AsDto(await storage.Store.GetRetentionAsync(caller.Tenant, ct))))
            .WithTags("Series")
            .WithSummary("How long the tenant's raw points, 1-minute and hourly rollups are kept (the platform default until set).")
            .RequireAuthorization(Policies.Viewer);

        app.MapPut("/api/v1/retention", async (RetentionDto input, Caller caller, Sessions sessions, TelemetryStorage storage, CancellationToken ct) =>
            {
                var policy = new RetentionPolicy(Days("rawDays", input.RawDays), Days("minuteDays", input.MinuteDays), Days("hourDays", input.HourDays));
                try
                {
                    await storage.Store.SetRetentionAsync(caller.Tenant, policy, ct);
                }
                catch (ArgumentException e)
                {
                    throw ApiProblem.Invalid("rawDays", e.Message.Replace(" (Parameter 'policy')", "", StringComparison.Ordinal));
                }

                await sessions.RunAsync(caller, async s =>
                {
                    await s.AuditAsync("update", "retention", null,
                        $"telemetry retention: raw {Describe(input.RawDays)}, 1-minute {Describe(input.MinuteDays)}, hourly {Describe(input.HourDays)}");
                    return true;
                }, ct);
                return TypedResults.Ok(AsDto(policy));
            })
            .WithTags("Series")
            .WithSummary("Sets the tenant's retention in days per level (null: forever); raw must outlive the late window, rollups the level below.")
            .RequireAuthorization(Policies.TenantAdmin);
    }

    private static TimeSpan? Days(string field, double? days) => days switch
    {
        null => null,
        > 0 and <= 36_500 => TimeSpan.FromDays(days.Value),
        _ => throw ApiProblem.Invalid(field, "a number of days from above 0 to 36,500, or null to keep forever"),
    };

    private static RetentionDto AsDto(RetentionPolicy policy) => new(policy.Raw?.TotalDays, policy.Minute?.TotalDays, policy.Hour?.TotalDays);

    private static string Describe(double? days) => days is { } d ? $"{d:0.##} days" : "forever";
}
