using Millwright.Api;
using Millwright.Features.Connectivity;
using Millwright.Features.Telemetry;
using Millwright.Mqtt.Server;
using Millwright.Security;

namespace Millwright.Features.Quotas;

internal static class QuotasApi
{
    public static void MapQuotas(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/quotas", async (Caller caller, Sessions sessions, QuotaOptions quotas, MqttServer broker, TelemetryStorage storage, CancellationToken ct) =>
            {
                var tenant = caller.Tenant;
                var counts = await sessions.RunAsync(caller, async s => new
                {
                    Machines = await s.ScalarAsync<long>("SELECT COUNT(*) FROM machines WHERE tenant_id = @Tenant", new { s.Tenant }),
                    MachineIds = await s.QueryAsync<long>("SELECT id FROM machines WHERE tenant_id = @Tenant", new { s.Tenant }),
                    ApiKeys = await s.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE tenant_id = @Tenant AND revoked_at IS NULL", new { s.Tenant }),
                    Webhooks = await s.ScalarAsync<long>("SELECT COUNT(*) FROM webhooks WHERE tenant_id = @Tenant", new { s.Tenant }),
                }, ct);
                var broker_ = broker.UsageOf(PlatformGate.AccountName(tenant)) ?? default;
                var mostSeries = counts.MachineIds.Select(id => (long)storage.Store.SeriesCount(tenant, id)).DefaultIfEmpty(0).Max();
                long? Used(string name) => name switch
                {
                    "machines" => counts.Machines,
                    "api-keys" => counts.ApiKeys,
                    "webhooks" => counts.Webhooks,
                    "series-per-machine" => mostSeries,
                    "mqtt-connections" => broker_.Connections,
                    "persistent-sessions" => broker_.PersistentSessions,
                    "retained-messages" => broker_.RetainedMessages,
                    "retained-bytes" => broker_.RetainedBytes,
                    // Rates and per-session limits have no single current use to show.
                    _ => null,
                };

                return TypedResults.Ok(new QuotaListDto(QuotaOptions.Names.Select(name => new QuotaDto(name, quotas.Limit(name), Used(name), Describe(name))).ToList()));
            })
            .WithTags("Quotas")
            .WithSummary("The tenant's quotas: each limit and, where one exists, what is in use now (series: the machine with the most).")
            .RequireAuthorization(Policies.Viewer);

    private static string Describe(string name) => name switch
    {
        "machines" => "machines in the registry",
        "api-keys" => "API keys not revoked",
        "webhooks" => "alarm webhooks",
        "series-per-machine" => "time series of one machine (declared and unknown tags)",
        "mqtt-connections" => "open MQTT connections of the tenant's devices and keys",
        "mqtt-connect-rate" => "MQTT connections accepted per second",
        "persistent-sessions" => "MQTT sessions kept after their connection closes",
        "subscriptions-per-session" => "topic filters in one MQTT session",
        "retained-messages" => "retained MQTT topics the tenant's clients set",
        "retained-bytes" => "payload bytes of those retained messages",
        _ => "telemetry messages per second (MQTT slowed down, HTTP answered 429)",
    };
}
