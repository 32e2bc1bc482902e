namespace Millwright.Features.Cluster;

/// <summary>Cluster mode (<c>serve --cluster</c>): nothing is registered without it, so a single node runs as before.</summary>
internal static class ClusterModule
{
    public static IServiceCollection AddCluster(this IServiceCollection services, ClusterOptions? options)
    {
        if (options is null)
        {
            return services;
        }

        services.AddSingleton(options);
        services.AddSingleton<ClusterNode>();
        services.AddHostedService<ClusterService>();
        if (options.Amqp is not null)
        {
            services.AddSingleton<AmqpLink>();
            services.AddHostedService(sp => sp.GetRequiredService<AmqpLink>());
        }

        return services;
    }
}
