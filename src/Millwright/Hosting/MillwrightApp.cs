using Microsoft.AspNetCore.Authentication;
using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.Anomalies;
using Millwright.Features.ApiKeys;
using Millwright.Features.Calendars;
using Millwright.Features.Cluster;
using Millwright.Features.ClusterBridge;
using Millwright.Features.ClusterIngest;
using Millwright.Features.ClusterLeaders;
using Millwright.Features.Fleet;
using Millwright.Features.Goals;
using Millwright.Features.Inventory;
using Millwright.Features.Kpis;
using Millwright.Features.Maintenance;
using Millwright.Features.Design;
using Millwright.Features.Makerspace;
using Millwright.Features.OpcUa;
using Millwright.Features.Erp;
using Millwright.Features.Production;
using Millwright.Features.Quotas;
using Millwright.Features.States;
using Millwright.Features.Audit;
using Millwright.Features.Connectivity;
using Millwright.Features.DeviceCredentials;
using Millwright.Features.Embroidery;
using Millwright.Features.Energy;
using Millwright.Features.Live;
using Millwright.Features.Metrics;
using Millwright.Features.Modbus;
using Millwright.Features.Series;
using Millwright.Features.Sharing;
using Millwright.Features.Tailoring;
using Millwright.Features.Telemetry;
using Millwright.Security;
using Millwright.Storage;
using Millwright.Web;

namespace Millwright.Hosting;

/// <summary>Composes the HTTP host: services, middleware and every feature's endpoints.</summary>
internal static class MillwrightApp
{
    public static WebApplication Build(ServeOptions options, IDatabase database, TimeProvider? clock = null)
    {
        // Limits out of range stop the start with a message naming them, before anything is registered or listens.
        options.Live.Validate();
        if (options.Telemetry.Validate() is [_, ..] problems)
        {
            throw new ArgumentException("invalid telemetry options: " + string.Join("; ", problems));
        }

        ThreadPoolFloor.Raise();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // No cookies are issued, so the data-protection key ring is never used; its warning is noise.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Http);
            if (options.Metrics is { } metrics)
            {
                MetricsListener.Listen(kestrel, metrics);
            }

            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddPlatformMetrics();
        builder.Services.AddEgress(options.Egress);
        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddSingleton<ApiKeyVerifier>();
        builder.Services.AddSingleton<RegistryChanges>();
        builder.Services.AddQuotas(options.Quotas);
        builder.Services.AddCluster(options.Cluster);
        builder.Services.AddClusterLeaders(options.Cluster);

        // Features, each through its module. Hosted services start in registration order and stop in reverse,
        // which is why the order below matters: the telemetry store opens (replaying its log) before anything
        // reads or writes it, and checkpoints after everything else stopped; the pipeline's observers (states,
        // alarms, live, production behind states) start before the pipeline and stop after it, so nothing
        // committed is left unobserved; the transports (Modbus, MQTT) start last and stop first, so nothing
        // arrives at a pipeline that is not running. The observers' fan-out order is theirs (ITelemetryObserver.Order).
        builder.Services.AddDeviceCredentials();
        builder.Services.AddTelemetry(options.Telemetry);
        builder.Services.AddProduction(options.Production);
        builder.Services.AddStates();
        builder.Services.AddAlarms(options.Alarms);
        builder.Services.AddLive(options.Live);
        builder.Services.AddFleet(options.Fleet);
        builder.Services.AddAnomalies(options.Anomalies);
        builder.Services.AddMaintenance();
        builder.Services.AddClusterIngest(options.Cluster);
        builder.Services.AddTelemetryPipeline();
        builder.Services.AddModbus();
        builder.Services.AddOpcUa();
        builder.Services.AddConnectivity(options);
        builder.Services.AddClusterBridge(options.Cluster);
        builder.Services.AddAccessWatch(options.AccessRecheckInterval);
        builder.Services.AddMakerspace();
        builder.Services.AddDesign();
        builder.Services.AddSharing();
        builder.Services.AddEmbroidery();
        builder.Services.AddErp(options.Erp);
        builder.Services.AddTailoring();

        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = c =>
        {
            // An over-long body reaches the binder as an IOException, which it answers with a bare 413
            // instead of throwing; the status code page then has to say what was wrong.
            if (c.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge && c.ProblemDetails.Detail is null)
            {
                c.ProblemDetails.Detail = $"The request body is larger than the server accepts ({options.MaxRequestBodyBytes} bytes).";
            }
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            json.SerializerOptions.MaxDepth = 16;
        });
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization(Policies.Add);
        builder.Services.AddOpenApi();

        var app = builder.Build();
        app.UseMetricsListener();
        app.UseMiddleware<ProblemMiddleware>();
        app.UseStatusCodePages();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapHealth();
        app.MapMetrics();
        app.MapRegistry();
        app.MapDeviceCredentials();
        app.MapApiKeys();
        app.MapAudit();
        app.MapQuotas();
        app.MapTelemetryEndpoints();
        app.MapSeriesEndpoints();
        app.MapModbus();
        app.MapOpcUa();
        app.MapSparkplugSettings();
        app.MapLive();
        app.MapStates();
        app.MapProduction();
        app.MapSetupFamilies();
        app.MapErp();
        app.MapMachineCommands();
        app.MapCalendars();
        app.MapKpis();
        app.MapEnergy();
        app.MapGoals();
        app.MapSharing();
        app.MapInventory();
        app.MapAlarms();
        app.MapFleet();
        app.MapAnomalies();
        app.MapMaintenance();
        app.MapMakerspace();
        app.MapDesign();
        app.MapEmbroidery();
        app.MapTailoring();
        app.MapDashboard();
        return app;
    }

    private static void MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", async (IDatabase database, IServiceProvider services, CancellationToken ct) =>
            {
                if (services.GetService<AmqpLink>()?.Problem is { } broker)
                {
                    return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Broker unavailable", detail: broker);
                }

                try
                {
                    await using var connection = await database.OpenAsync(ct);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT 1";
                    await command.ExecuteScalarAsync(ct);
                    return Results.Ok(new { status = "ok", store = database.Provider });
                }
                catch (System.Data.Common.DbException e)
                {
                    return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Store unavailable", detail: e.Message);
                }
            })
            .AllowAnonymous()
            .WithTags("Health");
}
