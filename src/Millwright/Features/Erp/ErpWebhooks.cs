using Millwright.Api;
using Millwright.Features.Alarms;

namespace Millwright.Features.Erp;

/// <summary>
/// The tenant's ERP webhook (one at most: where completed orders are sent, signed) and its deliveries, one per
/// completed order. Deliveries are derived from the orders table, not queued by production: an order completed
/// while this node was down is found on the next look, so none is missed.
/// </summary>
internal sealed class ErpWebhooks(WebhookGuard guard)
{
    private const int SecretMin = 16;
    private const int SecretMax = 200;

    public static async Task<ErpWebhookDto> GetAsync(Session s) =>
        (await FindAsync(s) ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", "No ERP webhook is set; PUT one first.")).AsDto();

    /// <summary>Sets the webhook; a new one sends orders completed from now on, a changed one keeps its start.</summary>
    public async Task<ErpWebhookDto> PutAsync(Session s, ErpWebhookInput input)
    {
        var current = await FindAsync(s);
        var v = new Validator();
        if (WebhookGuard.RefuseShape(input.Url) is { } shape)
        {
            v.Add("url", shape);
        }

        if (input.Secret is null ? current is null : input.Secret.Length is < SecretMin or > SecretMax || input.Secret.Any(char.IsControl))
        {
            v.Add("secret", $"{(current is null ? "is required and " : "")}must be {SecretMin}-{SecretMax} characters without control characters");
        }

        v.ThrowIfInvalid();
        if (await guard.RefuseAddressAsync(s.Tenant, input.Url!, CancellationToken.None) is { } refusal)
        {
            throw ApiProblem.Invalid("url", refusal);
        }

        var enabled = input.Enabled ?? true;
        await s.ExecuteAsync(
            """
            INSERT INTO erp_webhooks (tenant_id, url, secret, enabled, since, checked_through, updated_at) VALUES (@Tenant, @Url, @secret, @enabled, @Now, @Now, @Now)
            ON CONFLICT (tenant_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, enabled = excluded.enabled, updated_at = excluded.updated_at
            """,
            new { s.Tenant, input.Url, secret = input.Secret ?? current!.Secret, enabled, s.Now });
        await s.AuditAsync(current is null ? "create" : "update", "erp-webhook", s.Tenant,
            $"{(current is null ? "set" : "changed")} the ERP webhook to {input.Url}{(enabled ? "" : " (disabled)")}{(input.Secret is null ? "" : " with a new secret")}");
        return await GetAsync(s);
    }

    /// <summary>Removes the webhook; deliveries not yet made are given up with it.</summary>
    public static async Task DeleteAsync(Session s)
    {
        var current = await FindAsync(s) ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", "No ERP webhook is set.");
        await s.ExecuteAsync("DELETE FROM erp_webhooks WHERE tenant_id = @Tenant", new { s.Tenant });
        await s.ExecuteAsync(
            "UPDATE erp_deliveries SET outcome = 'failed', next_at = NULL, error = 'the ERP webhook was removed', updated_at = @Now WHERE tenant_id = @Tenant AND outcome = 'pending'",
            new { s.Tenant, s.Now });
        await s.AuditAsync("delete", "erp-webhook", s.Tenant, $"removed the ERP webhook to {current.Url}");
    }

    public static async Task<IReadOnlyList<ErpDeliveryDto>> DeliveriesAsync(Session s, PageRequest page) =>
        (await s.QueryAsync<DeliveryRow>(
            """
            SELECT d.id, d.order_id, o.number AS order_number, d.outcome, d.attempts, d.status_code, d.error, d.next_at, d.updated_at
            FROM erp_deliveries d JOIN orders o ON o.tenant_id = d.tenant_id AND o.id = d.order_id
            WHERE d.tenant_id = @Tenant AND d.id > @After ORDER BY d.id LIMIT @Limit
            """,
            new { s.Tenant, page.After, page.Limit }))
        .Select(r => r.AsDto()).ToList();

    public static Task<WebhookRow?> FindAsync(Session s) =>
        s.QueryOneAsync<WebhookRow>("SELECT url, secret, enabled, since, updated_at FROM erp_webhooks WHERE tenant_id = @Tenant", new { s.Tenant });

    internal sealed class WebhookRow
    {
        public string Url { get; set; } = "";
        public string Secret { get; set; } = "";
        public bool Enabled { get; set; }
        public long Since { get; set; }
        public long UpdatedAt { get; set; }

        public ErpWebhookDto AsDto() => new(Url, Enabled, DateTimeOffset.FromUnixTimeMilliseconds(Since), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
    }

    private sealed class DeliveryRow
    {
        public long Id { get; set; }
        public long OrderId { get; set; }
        public string OrderNumber { get; set; } = "";
        public string Outcome { get; set; } = "";
        public long Attempts { get; set; }
        public long? StatusCode { get; set; }
        public string? Error { get; set; }
        public long? NextAt { get; set; }
        public long UpdatedAt { get; set; }

        public ErpDeliveryDto AsDto() => new(Id, OrderId, OrderNumber, Outcome, (int)Attempts, (int?)StatusCode, Error,
            NextAt is { } next ? DateTimeOffset.FromUnixTimeMilliseconds(next) : null, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
    }
}
