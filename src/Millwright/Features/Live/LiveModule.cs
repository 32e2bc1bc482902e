using Millwright.Features.States;
using Millwright.Features.Telemetry;

namespace Millwright.Features.Live;

/// <summary>The live feed: a post-commit observer of telemetry, a listener of state changes, a reader of alarm events.</summary>
internal static class LiveModule
{
    public static IServiceCollection AddLive(this IServiceCollection services, LiveOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<ITelemetryObserver>(sp => sp.GetRequiredService<LiveFeed>());
        services.AddSingleton<IStateChangeListener, LiveStateForwarder>();
        services.AddSingleton<LiveServices>();
        services.AddHostedService<LiveAlarmForwarder>();
        return services;
    }
}
