namespace Millwright.Features.Maintenance;

/// <summary>
/// Registers the failure-risk estimate (computed on request from stored states and telemetry) and the maintenance
/// planning that writes stops into the calendar, on request and each hour (docs/predictive-maintenance.md).
/// </summary>
internal static class MaintenanceModule
{
    public static IServiceCollection AddMaintenance(this IServiceCollection services, MaintenanceOptions? options = null)
    {
        services.AddSingleton(options ?? new MaintenanceOptions());
        services.AddSingleton<MachineRisk>();
        services.AddSingleton<MaintenancePlanning>();
        services.AddHostedService<MaintenanceScheduler>();
        return services;
    }
}
