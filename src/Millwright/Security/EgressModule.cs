using Dapper;
using Millwright.Storage;

namespace Millwright.Security;

/// <summary>Registers the egress policy.</summary>
internal static class EgressModule
{
    public static IServiceCollection AddEgress(this IServiceCollection services, EgressOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.Resolver ?? new DnsEgressResolver());
        services.AddSingleton(sp => new EgressPolicy(options, sp.GetRequiredService<IEgressResolver>(), (tenant, ct) => SlugAsync(sp.GetRequiredService<IDatabase>(), tenant, ct)));
        return services;
    }

    private static async Task<string?> SlugAsync(IDatabase database, long tenant, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT slug FROM tenants WHERE id = @tenant", new { tenant }, cancellationToken: ct));
    }
}
