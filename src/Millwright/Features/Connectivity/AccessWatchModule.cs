using Millwright.Mqtt.Server;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Connectivity;

internal static class AccessWatchModule
{
    /// <summary>The access-change signal and the MQTT side that acts on it (see <see cref="MqttAccessWatch"/>).</summary>
    public static IServiceCollection AddAccessWatch(this IServiceCollection services, TimeSpan recheckInterval)
    {
        services.AddSingleton<AccessChanges>();
        services.AddSingleton(sp => new MqttAccessWatch(
            sp.GetRequiredService<MqttServer>(), sp.GetRequiredService<AccessChanges>(), sp.GetRequiredService<IDatabase>(),
            sp.GetRequiredService<TimeProvider>(), recheckInterval, sp.GetRequiredService<ILogger<MqttAccessWatch>>(),
            sp.GetService<IKeptSessions>()));
        services.AddHostedService(sp =>
        {
            sp.GetRequiredService<SparkplugIngest>().ForgetOnChange();
            return sp.GetRequiredService<MqttAccessWatch>();
        });
        return services;
    }
}
