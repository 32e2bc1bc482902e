using Millwright.Features.Telemetry;

namespace Millwright.Features.Fleet;

/// <summary>Fleet: mobile equipment read through ISO 15143-3 (AEMP 2.0) elements derived from telemetry.</summary>
internal static class FleetModule
{
    public static IServiceCollection AddFleet(this IServiceCollection services, FleetOptions options)
    {
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<AempReader>();
        services.AddSingleton<FleetUtilization>();
        services.AddSingleton<GeofenceWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<GeofenceWatcher>());
        services.AddSingleton<ITelemetryObserver>(sp => sp.GetRequiredService<GeofenceWatcher>());
        // Feed passwords are sealed under a key in the data directory (there is no platform-wide secret store).
        services.AddSingleton(sp => Security.SecretBox.FromDirectory(sp.GetRequiredService<Hosting.ServeOptions>().Store.DataDirectory));
        services.AddSingleton<AempImporter>();
        services.AddSingleton<ServiceAlarms>();
        services.AddHostedService(sp => sp.GetRequiredService<ServiceAlarms>());
        services.AddHostedService(sp => sp.GetRequiredService<AempImporter>());
        services.AddSingleton<FleetDispatch>();
        services.AddSingleton<FleetDispatchAnswers>();
        services.AddHostedService(sp => sp.GetRequiredService<FleetDispatchAnswers>());
        services.AddSingleton<Connectivity.IMachineAckHandler>(sp => sp.GetRequiredService<FleetDispatchAnswers>());
        services.AddSingleton<DispatchTimeouts>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchTimeouts>());
        return services;
    }

    public static IEndpointRouteBuilder MapFleet(this IEndpointRouteBuilder app)
    {
        app.MapEquipment();
        app.MapEnrolment();
        app.MapFleetHealth();
        app.MapAemp();
        app.MapPlans();
        app.MapAllocation();
        app.MapGeofences();
        app.MapImportSources();
        app.MapFleetMaintenance();
        app.MapUtilization();
        app.MapFleetPositions();
        return app;
    }
}
