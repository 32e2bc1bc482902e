namespace Millwright.Features.Connectivity;

internal static class MachineCommandsModule
{
    /// <summary>The machine-command port; features add their <see cref="IMachineAckHandler"/> in their own module.</summary>
    public static IServiceCollection AddMachineCommands(this IServiceCollection services)
    {
        services.AddSingleton<SparkplugAddresses>();
        services.AddSingleton<MachineCommandPort>();
        services.AddSingleton<IMachineCommands>(sp => sp.GetRequiredService<MachineCommandPort>());
        return services;
    }
}
