using Millwright.Api;
namespace Millwright.Features.Quotas;

internal static class QuotasModule
{
    public static IServiceCollection AddQuotas(this IServiceCollection services, QuotaOptions options) =>
        services.AddSingleton(options).AddSingleton<TenantRates>();
}
