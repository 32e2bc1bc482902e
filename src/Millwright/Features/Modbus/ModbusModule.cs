namespace Millwright.Features.Modbus;

/// <summary>Modbus TCP polling: a transport, so registered after the telemetry pipeline it feeds.</summary>
internal static class ModbusModule
{
    public static IServiceCollection AddModbus(this IServiceCollection services)
    {
        services.AddSingleton<ModbusPolling>();
        services.AddHostedService(sp => sp.GetRequiredService<ModbusPolling>());
        return services;
    }
}
