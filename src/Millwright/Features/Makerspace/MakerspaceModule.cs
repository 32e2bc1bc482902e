using Microsoft.AspNetCore.Authorization;
using Millwright.Security;

namespace Millwright.Features.Makerspace;

/// <summary>The makerspace (docs/makerspace.md): its duplicate index and the two policies that let external participants in.</summary>
internal static class MakerspaceModule
{
    /// <summary>Reading the makerspace: any key of the tenant, and its external participants.</summary>
    public const string Read = "makerspace_read";

    /// <summary>Proposing, commenting, voting: operators, tenant admins and external participants (viewers only read).</summary>
    public const string Contribute = "makerspace_contribute";

    public static IServiceCollection AddMakerspace(this IServiceCollection services)
    {
        services.AddSingleton<IdeaIndex>();
        services.AddSingleton<NotificationBell>();
        services.AddSingleton<RegistrationRates>();
        services.Configure<AuthorizationOptions>(options =>
        {
            options.AddPolicy(Read, p => p.RequireClaim(Caller.TenantClaim).RequireRole("viewer", "operator", "tenant_admin", "participant"));
            options.AddPolicy(Contribute, p => p.RequireClaim(Caller.TenantClaim).RequireRole("operator", "tenant_admin", "participant"));
        });
        return services;
    }

    public static void MapMakerspace(this WebApplication app)
    {
        app.MapIdeas();
        app.MapMakerspaceAdmin();
        app.MapNotifications();
    }
}
