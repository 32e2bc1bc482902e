using Millwright.Hosting;
using Millwright.Mqtt.Server;

namespace Millwright.Features.Connectivity;

/// <summary>The MQTT listener with the platform's gate and Sparkplug host: a transport, registered after the pipeline.</summary>
internal static class ConnectivityModule
{
    public static IServiceCollection AddConnectivity(this IServiceCollection services, ServeOptions options)
    {
        services.AddSingleton<SparkplugIngest>();
        services.AddSingleton<SparkplugSettings>();
        services.AddSingleton<SparkplugRefusals>();
        services.AddMachineCommands();
        services.AddSingleton<MqttGate, PlatformGate>();
        services.AddSingleton<Quotas.IQuotaMeter, BrokerQuotaMeter>();
        services.AddSingleton(sp => new MqttServer(options.MqttLimits, sp.GetRequiredService<MqttGate>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<MqttListener>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttListener>());
        return services;
    }
}
