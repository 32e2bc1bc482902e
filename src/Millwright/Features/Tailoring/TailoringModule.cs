namespace Millwright.Features.Tailoring;

internal static class TailoringModule
{
    public static IServiceCollection AddTailoring(this IServiceCollection services, TailoringOptions? options = null)
    {
        services.AddSingleton(options ?? new TailoringOptions());
        services.AddSingleton<BodyModels>();
        services.AddSingleton<PatternDraft>();
        services.AddSingleton<Production.IJobTimes, TailoringJobTimes>();
        return services;
    }
}
