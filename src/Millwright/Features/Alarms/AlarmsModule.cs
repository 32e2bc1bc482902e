using Millwright.Features.Telemetry;

namespace Millwright.Features.Alarms;

/// <summary>Registers the alarm services: engine (a post-commit observer of telemetry), writer, events, webhook guard and notifier.</summary>
internal static class AlarmsModule
{
    public static IServiceCollection AddAlarms(this IServiceCollection services, AlarmOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<WebhookGuard>();
        services.AddSingleton<Webhooks>();
        services.AddSingleton<AlarmEvents>();
        services.AddSingleton<AlarmWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AlarmWriter>());
        services.AddSingleton<AlarmEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<AlarmEngine>());
        services.AddSingleton<ITelemetryObserver>(sp => sp.GetRequiredService<AlarmEngine>());
        services.AddSingleton<WebhookNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookNotifier>());
        return services;
    }
}
