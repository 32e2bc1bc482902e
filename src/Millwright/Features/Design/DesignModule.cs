namespace Millwright.Features.Design;

/// <summary>The design workspace (docs/design-workspace.md): projects, their rooms and the real-time channel.</summary>
internal static class DesignModule
{
    public static IServiceCollection AddDesign(this IServiceCollection services)
    {
        services.AddSingleton<DesignHub>();
        services.AddHostedService(sp => sp.GetRequiredService<DesignHub>());
        services.AddSingleton<DesignServices>();
        return services;
    }

    public static void MapDesign(this WebApplication app)
    {
        app.MapDesignProjects();
        app.MapDesignReleases();
        app.MapDesignDocuments();
        app.MapDesignFollowers();
    }
}
