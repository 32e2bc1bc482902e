using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Quotas;

internal static class QuotasApi
{
    public static void MapQuotas(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/quotas", async (Caller caller, Sessions sessions, QuotaOptions quotas, IEnumerable<IQuotaMeter> meters, CancellationToken ct) =>
            {
                var used = await sessions.RunAsync(caller, async s => new Dictionary<string, long>
                {
                    ["machines"] = await s.ScalarAsync<long>("SELECT COUNT(*) FROM machines WHERE tenant_id = @Tenant", new { s.Tenant }),
                    ["api-keys"] = await s.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE tenant_id = @Tenant AND revoked_at IS NULL", new { s.Tenant }),
                    ["webhooks"] = await s.ScalarAsync<long>("SELECT COUNT(*) FROM webhooks WHERE tenant_id = @Tenant", new { s.Tenant }),
                    ["shared-offers"] = await s.ScalarAsync<long>("SELECT COUNT(*) FROM sharing_offers WHERE tenant_id = @Tenant AND status = 'active'", new { s.Tenant }),
                    ["shared-requests"] = await s.ScalarAsync<long>("SELECT COUNT(*) FROM sharing_requests WHERE tenant_id = @Tenant AND status = 'open'", new { s.Tenant }),
                    ["ideas"] = await s.ScalarAsync<long>("SELECT COUNT(*) FROM ideas WHERE tenant_id = @Tenant", new { s.Tenant }),
                    ["embroidery-designs"] = await s.ScalarAsync<long>("SELECT COUNT(*) FROM embroidery_designs WHERE tenant_id = @Tenant", new { s.Tenant }),
                    ["c2m-customers"] = await s.ScalarAsync<long>("SELECT COUNT(*) FROM tailoring_customers WHERE tenant_id = @Tenant", new { s.Tenant }),
                }, ct);
                foreach (var (name, value) in meters.SelectMany(m => m.UseOf(caller.Tenant)))
                {
                    used[name] = value;
                }

                // Rates and per-session limits have no single current use to show: their "used" is null.
                return TypedResults.Ok(new QuotaListDto(QuotaOptions.Names
                    .Select(name => new QuotaDto(name, quotas.Limit(name), used.TryGetValue(name, out var n) ? n : null, Describe(name))).ToList()));
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
        "shared-offers" => "active shared-capacity offers",
        "shared-requests" => "open shared-manufacturing requests",
        "shared-quote-rate" => "instant quotes (rankings and bids) per minute (HTTP answered 429)",
        "ideas" => "ideas in the makerspace",
        "register-rate-address" => "self-registrations of external participants per minute from one client address, any tenant (HTTP answered 429)",
        "register-rate-invitation" => "self-registrations per minute with one invitation (HTTP answered 429)",
        "embroidery-designs" => "embroidery designs stored",
        "c2m-customers" => "made-to-measure customer profiles stored",
        _ => "telemetry messages per second (MQTT slowed down, HTTP answered 429)",
    };
}
