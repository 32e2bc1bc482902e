using Millwright.Features.Cluster;
using Millwright.Features.Connectivity;
using Millwright.Features.Production;
using Millwright.Features.Tenants;

namespace Millwright.Features.ClusterLeaders;

/// <summary>
/// Who runs each tenant's background duties. Cluster mode: one node, the tenant's leader (<see cref="LeaseLeadership"/>),
/// and the planner's events reach it from every node (<see cref="PlannerRelay"/>); a command for a machine goes to the
/// machine's owner (<see cref="CommandForwarder"/>). A single node leads every tenant and sends every command itself.
/// </summary>
internal static class ClusterLeadersModule
{
    public static IServiceCollection AddClusterLeaders(this IServiceCollection services, ClusterOptions? options)
    {
        if (options?.Amqp is null)
        {
            services.AddSingleton<ITenantLeadership, EveryTenant>();
            return services;
        }

        services.AddSingleton<ITenantLeadership, LeaseLeadership>();
        services.AddSingleton<PlannerRelay>();
        services.AddSingleton<IProductionRelay>(sp => sp.GetRequiredService<PlannerRelay>());
        services.AddHostedService(sp => sp.GetRequiredService<PlannerRelay>());
        services.AddSingleton<CommandForwarder>();
        services.AddSingleton<IMachineCommandRoute>(sp => sp.GetRequiredService<CommandForwarder>());
        services.AddHostedService(sp => sp.GetRequiredService<CommandForwarder>());
        return services;
    }
}
