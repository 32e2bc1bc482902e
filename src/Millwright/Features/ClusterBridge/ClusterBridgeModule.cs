using Millwright.Features.Cluster;

namespace Millwright.Features.ClusterBridge;

/// <summary>Cluster mode with a broker: the nodes' MQTT brokers joined through RabbitMQ (<see cref="MqttBridge"/>), their retained messages kept in the database (<see cref="RetainedReplica"/>), their persistent sessions kept by the cluster (<see cref="SessionReplica"/>).</summary>
internal static class ClusterBridgeModule
{
    public static IServiceCollection AddClusterBridge(this IServiceCollection services, ClusterOptions? options)
    {
        if (options?.Amqp is null)
        {
            return services;
        }

        services.AddSingleton<MqttBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttBridge>());
        services.AddSingleton<RetainedReplica>();
        services.AddHostedService(sp => sp.GetRequiredService<RetainedReplica>());
        services.AddSingleton<SessionReplica>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionReplica>());
        services.AddSingleton<Connectivity.IKeptSessions>(sp => sp.GetRequiredService<SessionReplica>());
        return services;
    }
}
