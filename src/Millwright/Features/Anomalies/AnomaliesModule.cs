using Millwright.Features.States;
using Millwright.Features.Telemetry;

namespace Millwright.Features.Anomalies;

/// <summary>Registers the anomaly watcher: a post-commit observer of telemetry with its own loop, raising through the alarm writer.</summary>
internal static class AnomaliesModule
{
    public static IServiceCollection AddAnomalies(this IServiceCollection services, AnomalyOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<AnomalyStateListener>();
        services.AddSingleton<IStateChangeListener>(sp => sp.GetRequiredService<AnomalyStateListener>());
        services.AddSingleton<AnomalyWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AnomalyWatcher>());
        services.AddSingleton<ITelemetryObserver>(sp => sp.GetRequiredService<AnomalyWatcher>());
        return services;
    }
}
