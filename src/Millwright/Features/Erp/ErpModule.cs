namespace Millwright.Features.Erp;

internal static class ErpModule
{
    public static IServiceCollection AddErp(this IServiceCollection services, ErpOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<ErpWebhooks>();
        services.AddHostedService<ErpCompletionNotifier>();
        return services;
    }
}
