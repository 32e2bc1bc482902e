namespace Millwright.Features.OpcUa;

/// <summary>OPC UA machines: a transport, so registered after the telemetry pipeline it feeds.</summary>
internal static class OpcUaModule
{
    public static IServiceCollection AddOpcUa(this IServiceCollection services)
    {
        services.AddSingleton<OpcUaMachines>();
        services.AddHostedService(sp => sp.GetRequiredService<OpcUaMachines>());
        services.AddSingleton<Connectivity.IMachineCommandTransport, OpcUaCommandTransport>();
        return services;
    }
}
