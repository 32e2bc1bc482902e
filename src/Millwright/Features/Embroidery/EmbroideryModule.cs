namespace Millwright.Features.Embroidery;

internal static class EmbroideryModule
{
    public static IServiceCollection AddEmbroidery(this IServiceCollection services, EmbroideryOptions? options = null)
    {
        services.AddSingleton(options ?? new EmbroideryOptions());
        services.AddSingleton<DesignIntake>();
        services.AddSingleton<Production.IJobTimes, EmbroideryJobTimes>();
        return services;
    }
}
