using Microsoft.AspNetCore.Authentication;
using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.ApiKeys;
using Millwright.Features.Calendars;
using Millwright.Features.Inventory;
using Millwright.Features.Kpis;
using Millwright.Features.Production;
using Millwright.Features.States;
using Millwright.Features.Areas;
using Millwright.Features.Audit;
using Millwright.Features.Connectivity;
using Millwright.Features.DeviceCredentials;
using Millwright.Features.Lines;
using Millwright.Features.Live;
using Millwright.Features.Machines;
using Millwright.Features.MachineTypes;
using Millwright.Features.Modbus;
using Millwright.Features.Series;
using Millwright.Features.Sites;
using Millwright.Features.Telemetry;
using Millwright.Features.Tenants;
using Millwright.Security;
using Millwright.Mqtt.Server;
using Millwright.Storage;
using Millwright.Web;

namespace Millwright.Hosting;

/// <summary>Composes the HTTP host: services, middleware and every feature's endpoints.</summary>
internal static class MillwrightApp
{
    public static WebApplication Build(ServeOptions options, IDatabase database, TimeProvider? clock = null)
    {
        // Limits out of range stop the start with a message naming them, before anything listens.
        options.Live.Validate();
        if (options.Telemetry.Validate() is [_, ..] problems)
        {
            throw new ArgumentException("invalid telemetry options: " + string.Join("; ", problems));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // No cookies are issued, so the data-protection key ring is never used; its warning is noise.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Http);
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });

        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddSingleton<DeviceAuthenticator>();
        builder.Services.AddSingleton<ApiKeyVerifier>();
        builder.Services.AddSingleton<LatestValues>();
        builder.Services.AddSingleton<MachineScopes>();
        builder.Services.AddSingleton<MachineConnectivity>();
        builder.Services.AddSingleton<RegistryChanges>();
        builder.Services.AddSingleton(options.Telemetry);

        // Hosted services start in this order and stop in reverse: the store opens (replaying its log)
        // before the pipeline and the transports start, and checkpoints after they stopped.
        builder.Services.AddSingleton<TelemetryStorage>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryStorage>());
        builder.Services.AddSingleton<MachineSchemas>();
        builder.Services.AddSingleton<TelemetryFlags>();
        builder.Services.AddSingleton<TelemetryWriter>();
        builder.Services.AddSingleton(options.Live);
        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddSingleton<LiveServices>();
        builder.Services.AddProduction(options.Production);
        builder.Services.AddSingleton<StateTracker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StateTracker>());
        builder.Services.AddAlarms(options.Alarms);
        builder.Services.AddSingleton<TelemetryPipeline>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryPipeline>());
        builder.Services.AddHostedService<TelemetryMaintenance>();
        builder.Services.AddHostedService<LiveAlarmForwarder>();
        builder.Services.AddSingleton<ModbusPolling>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModbusPolling>());
        builder.Services.AddMetrics();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<SparkplugIngest>();
        builder.Services.AddSingleton<MqttGate, PlatformGate>();
        builder.Services.AddSingleton(sp => new MqttServer(options.MqttLimits, sp.GetRequiredService<MqttGate>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddSingleton<MqttListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MqttListener>());
        builder.Services.AddAccessWatch(options.AccessRecheckInterval);
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
        app.UseMiddleware<ProblemMiddleware>();
        app.UseStatusCodePages();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapHealth();
        app.MapCrud("tenants", "Tenants", Tenants.Operations, Policies.PlatformAdmin, Policies.PlatformAdmin);
        app.MapCrud("sites", "Sites", Sites.Operations);
        app.MapCrud("areas", "Areas", Areas.Operations);
        app.MapCrud("lines", "Lines", Lines.Operations);
        app.MapCrud("machine-types", "Machine types", MachineTypes.Operations);
        app.MapCrud("machines", "Machines", Machines.Operations).ReloadsAlarmRules(onlyWatched: true);
        app.MapDeviceCredentials();
        app.MapApiKeys();
        app.MapAudit();
        app.MapTelemetry();
        app.MapLatest();
        app.MapSeries();
        app.MapRetention();
        app.MapModbus();
        app.MapLive();
        app.MapStates();
        app.MapProduction();
        app.MapMachineCommands();
        app.MapCalendars();
        app.MapKpis();
        app.MapInventory();
        app.MapAlarms();
        app.MapDashboard();
        return app;
    }

    private static void MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", async (IDatabase database, CancellationToken ct) =>
            {
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
