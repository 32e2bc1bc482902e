namespace Millwright.Features.Modbus;

/// <summary>Modbus TCP polling and commands: a transport, so registered after the telemetry pipeline it feeds and the command port it serves.</summary>
internal static class ModbusModule
{
    public static IServiceCollection AddModbus(this IServiceCollection services)
    {
        services.AddSingleton<ModbusAnswers>();
        services.AddSingleton<Connectivity.IMachineCommandTransport, ModbusCommandTransport>();
        services.AddSingleton<ModbusPolling>();
        services.AddHostedService(sp => sp.GetRequiredService<ModbusPolling>());
        return services;
    }
}
