using Millwright.Features.Calendars;
using Millwright.Features.Telemetry;

namespace Millwright.Features.States;

/// <summary>The state tracker: last post-commit observer of telemetry (it may wait on its queue), and a calendar listener.</summary>
internal static class StatesModule
{
    public static IServiceCollection AddStates(this IServiceCollection services)
    {
        services.AddSingleton<StateTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<StateTracker>());
        services.AddSingleton<ITelemetryObserver>(sp => sp.GetRequiredService<StateTracker>());
        services.AddSingleton<ICalendarListener>(sp => sp.GetRequiredService<StateTracker>());
        return services;
    }
}
