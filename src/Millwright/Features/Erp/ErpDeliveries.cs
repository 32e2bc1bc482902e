using Millwright.Api;

namespace Millwright.Features.Erp;

/// <summary>
/// The delivery rows behind the ERP webhook: found from completed orders, claimed by one node for one try at a
/// time, and recorded after it. A claim moves the row's next try past the try's own timeout, so a node that dies
/// mid-try leaves the row to be tried again, never lost (the ERP may then see a delivery twice: it carries its id).
/// </summary>
internal static class ErpDeliveries
{
    // Completions commit a little after the time they record; looking back this far does not miss them.
    private const long Slack = 60_000;

    private const int PerLook = 20;

    internal readonly record struct Due(long Id, long OrderId, int Attempts);

    /// <summary>Makes the deliveries of orders completed since the last look, then claims those due now; nothing when the webhook is off.</summary>
    public static async Task<(ErpWebhooks.WebhookRow? Hook, IReadOnlyList<Due> Claimed)> ClaimAsync(Session s, TimeSpan lease)
    {
        if (await ErpWebhooks.FindAsync(s) is not { Enabled: true } hook)
        {
            return (null, []);
        }

        await s.ExecuteAsync(
            """
            INSERT INTO erp_deliveries (tenant_id, order_id, attempts, next_at, outcome, created_at, updated_at)
            SELECT o.tenant_id, o.id, 0, @Now, 'pending', @Now, @Now
            FROM orders o JOIN erp_webhooks w ON w.tenant_id = o.tenant_id
            WHERE o.tenant_id = @Tenant AND o.status = 'completed' AND o.completed_at >= w.since AND o.completed_at >= w.checked_through - @Slack
              AND NOT EXISTS (SELECT 1 FROM erp_deliveries d WHERE d.tenant_id = o.tenant_id AND d.order_id = o.id)
            """,
            new { s.Tenant, s.Now, Slack });
        await s.ExecuteAsync("UPDATE erp_webhooks SET checked_through = @Now WHERE tenant_id = @Tenant", new { s.Tenant, s.Now });

        var due = await s.QueryAsync<(long Id, long OrderId, long Attempts, long NextAt)>(
            "SELECT id, order_id, attempts, next_at FROM erp_deliveries WHERE tenant_id = @Tenant AND next_at <= @Now ORDER BY next_at, id LIMIT @PerLook",
            new { s.Tenant, s.Now, PerLook });
        var claimed = new List<Due>();
        var until = s.Now + (long)lease.TotalMilliseconds;
        foreach (var row in due)
        {
            // Another node may have claimed it since the read: only the one whose update lands sends.
            if (await s.ExecuteAsync("UPDATE erp_deliveries SET next_at = @until WHERE tenant_id = @Tenant AND id = @Id AND next_at = @NextAt",
                    new { s.Tenant, row.Id, row.NextAt, until }) == 1)
            {
                claimed.Add(new Due(row.Id, row.OrderId, (int)row.Attempts));
            }
        }

        return (hook, claimed);
    }

    /// <summary>Records one try: delivered on a 2xx answer; otherwise tried again later, or given up after the last attempt.</summary>
    public static Task RecordAsync(Session s, Due delivery, int? status, string? error, ErpOptions options)
    {
        var attempts = delivery.Attempts + 1;
        if (status is >= 200 and < 300)
        {
            return s.ExecuteAsync(
                "UPDATE erp_deliveries SET outcome = 'delivered', next_at = NULL, attempts = @attempts, status_code = @status, error = NULL, updated_at = @Now WHERE tenant_id = @Tenant AND id = @Id",
                new { s.Tenant, delivery.Id, attempts, status, s.Now });
        }

        var wait = Math.Min(options.FirstRetry.TotalMilliseconds * Math.Pow(2, attempts - 1), TimeSpan.FromHours(1).TotalMilliseconds);
        long? next = attempts >= options.MaxAttempts ? null : s.Now + (long)wait;
        return s.ExecuteAsync(
            """
            UPDATE erp_deliveries SET outcome = @outcome, next_at = @next, attempts = @attempts, status_code = @status, error = @error, updated_at = @Now
            WHERE tenant_id = @Tenant AND id = @Id
            """,
            new { s.Tenant, delivery.Id, outcome = next is null ? "failed" : "pending", next, attempts, status, error = error ?? $"the ERP answered {status}", s.Now });
    }
}
