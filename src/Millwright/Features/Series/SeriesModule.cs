namespace Millwright.Features.Series;

/// <summary>Series queries and retention policies: endpoints only, over the telemetry store.</summary>
internal static class SeriesModule
{
    public static IEndpointRouteBuilder MapSeriesEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapSeries();
        app.MapRetention();
        return app;
    }
}
