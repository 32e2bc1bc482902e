using Millwright.Features.Cluster;
using Millwright.Features.Telemetry;

namespace Millwright.Features.ClusterIngest;

/// <summary>
/// Cluster mode with a broker (<c>--cluster NAME --amqp URL</c>): one node appends to the store, the others
/// forward to it over RabbitMQ. Registered before the telemetry pipeline: it starts before it and stops after it.
/// </summary>
internal static class ClusterIngestModule
{
    public static IServiceCollection AddClusterIngest(this IServiceCollection services, ClusterOptions? options)
    {
        if (options?.Amqp is null)
        {
            return services;
        }

        services.AddSingleton<IngestLease>();
        services.AddSingleton<IngestChannel>();
        services.AddSingleton<IngestConsumer>();
        services.AddSingleton<ITelemetryRoute, IngestRoute>();
        services.AddSingleton<IObserverRoute, OwnerRoute>();
        services.AddSingleton<IMachineOwnership, LeaseOwnership>();
        services.AddSingleton<OwnerInbox>();
        services.AddHostedService(sp => sp.GetRequiredService<OwnerInbox>());
        services.AddSingleton<IngestLeader>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestLeader>());
        return services;
    }
}
