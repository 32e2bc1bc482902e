using Millwright.Features.Calendars;

namespace Millwright.Features.Maintenance;

/// <summary>
/// Registers the failure-risk estimate (computed from stored states, telemetry and maintenance records, cached a minute
/// per tenant) and the maintenance
/// planning that writes stops into the calendar, on request and each hour (docs/predictive-maintenance.md).
/// </summary>
internal static class MaintenanceModule
{
    public static IServiceCollection AddMaintenance(this IServiceCollection services, MaintenanceOptions? options = null)
    {
        services.AddSingleton(options ?? new MaintenanceOptions());
        services.AddSingleton<MachineRisk>();
        services.AddSingleton<RiskCache>();
        services.AddSingleton<ICalendarListener>(sp => sp.GetRequiredService<RiskCache>());
        services.AddSingleton<MaintenancePlanning>();
        services.AddHostedService<MaintenanceScheduler>();
        return services;
    }
}
