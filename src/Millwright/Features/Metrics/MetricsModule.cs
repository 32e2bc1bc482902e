using Millwright.Security;
using OpenTelemetry.Metrics;

namespace Millwright.Features.Metrics;

/// <summary>
/// The operators' view: every Millwright meter (System.Diagnostics.Metrics) exported in the Prometheus text format at
/// <c>/metrics</c>, for the platform admin on the HTTP listener and for anyone on the <c>--metrics</c> listener.
/// </summary>
internal static class MetricsModule
{
    /// <summary>Commit latency buckets, in seconds: a SQLite batch commits in about a millisecond, a busy PostgreSQL in tens.</summary>
    private static readonly double[] CommitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    public static IServiceCollection AddPlatformMetrics(this IServiceCollection services)
    {
        services.AddSingleton<TenantLabels>();
        services.AddSingleton<QuotaRefusals>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Millwright.*")
            .AddView("millwright.telemetry.commit", new ExplicitBucketHistogramConfiguration { Boundaries = CommitBuckets })
            // Every scrape reads the instruments afresh; Prometheus scrapes seldom enough that a cache buys nothing.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>First in the pipeline: the <c>--metrics</c> listener answers <c>/metrics</c> and 404 to anything else.</summary>
    public static void UseMetricsListener(this IApplicationBuilder app)
    {
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null, predicate: c => MetricsListener.Serves(c) && c.Request.Path == "/metrics", path: null, configureBranchedPipeline: null, optionsName: null);
        app.Use((context, next) =>
        {
            if (!MetricsListener.Serves(context))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    public static void MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics")
            .WithMetadata(new HttpMethodMetadata(["GET"]))
            .RequireAuthorization(Policies.PlatformAdmin);
}
