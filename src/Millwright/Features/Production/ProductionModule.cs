using Millwright.Features.Connectivity;
using Millwright.Features.Maintenance;
using Millwright.Features.States;
using Millwright.Features.Tenants;

namespace Millwright.Features.Production;

internal static class ProductionModule
{
    public static IServiceCollection AddProduction(this IServiceCollection services, ProductionOptions options)
    {
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<ProductionInbox>();
        services.AddSingleton<IProductionListener>(sp => sp.GetRequiredService<ProductionInbox>());
        services.AddSingleton<IMachineAckHandler, ProductionAcks>();
        services.AddSingleton<IMachineLoad, PlannedMachineLoad>();
        services.AddSingleton<ProductionPlanner>();
        services.AddSingleton<WhatIfPlanner>();
        services.AddHostedService(sp => sp.GetRequiredService<ProductionPlanner>());
        return services;
    }
}
