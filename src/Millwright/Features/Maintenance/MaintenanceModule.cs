namespace Millwright.Features.Maintenance;

/// <summary>Registers the failure-risk estimate (docs/predictive-maintenance.md): computed on request from stored states and telemetry.</summary>
internal static class MaintenanceModule
{
    public static IServiceCollection AddMaintenance(this IServiceCollection services) => services.AddSingleton<MachineRisk>();
}
