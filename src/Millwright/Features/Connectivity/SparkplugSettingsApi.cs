using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Connectivity;

internal static class SparkplugSettingsApi
{
    public static void MapSparkplugSettings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sparkplug/settings").WithTags("Sparkplug");

        group.MapGet("/", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, SparkplugSettings.GetAsync, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The tenant's Sparkplug B host settings.");

        group.MapPut("/", async (SparkplugSettingsDto input, Caller caller, Sessions sessions, SparkplugSettings settings, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => settings.PutAsync(s, input), ct)))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("strictBirths: refuse an NBIRTH without 'Node Control/Rebirth' instead of accepting it with a warning.");
    }
}
