namespace Millwright.Features.Telemetry;

/// <summary>
/// Registers telemetry in two steps, because hosted services start in registration order and stop in reverse:
/// <see cref="AddTelemetry"/> (the store, which replays its log before anything reads or writes, and stops
/// last to checkpoint) comes first; <see cref="AddTelemetryPipeline"/> comes after every feature that observes
/// the pipeline (so their queues run before the first commit and drain after the last) and before the transports.
/// </summary>
internal static class TelemetryModule
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<TelemetryStorage>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryStorage>());
        services.AddSingleton<LatestValues>();
        services.AddSingleton<ITelemetryObserver>(sp => sp.GetRequiredService<LatestValues>());
        services.AddSingleton<MachineScopes>();
        services.AddSingleton<MachineConnectivity>();
        services.AddSingleton<MachineSchemas>();
        services.AddSingleton<TelemetryFlags>();
        services.AddSingleton<TelemetryWriter>();
        services.AddSingleton<Quotas.IQuotaMeter, SeriesQuotaMeter>();
        return services;
    }

    public static IServiceCollection AddTelemetryPipeline(this IServiceCollection services)
    {
        services.AddSingleton<TelemetryPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryPipeline>());
        services.AddHostedService<TelemetryMaintenance>();
        return services;
    }

    /// <summary>HTTP ingest and the twin's latest values.</summary>
    public static IEndpointRouteBuilder MapTelemetryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapTelemetry();
        app.MapLatest();
        return app;
    }
}
