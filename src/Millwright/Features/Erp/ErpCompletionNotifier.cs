using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.Production;
using Millwright.Features.Tenants;
using Millwright.Hosting;
using Millwright.Scheduling.Erp;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Erp;

/// <summary>
/// Sends each completed order to its tenant's ERP webhook once, as a signed B2MML ProductionPerformance document
/// (the signature and headers of the alarm webhooks, event <c>order.completed</c>), retrying with back-off until the
/// ERP answers 2xx. Tenants are served side by side: an ERP that never answers holds only its own tenant's deliveries.
/// </summary>
internal sealed partial class ErpCompletionNotifier(
    IDatabase database, Sessions sessions, WebhookGuard guard, ErpOptions options, TimeProvider clock, ITenantLeadership leadership, ILogger<ErpCompletionNotifier> logger)
    : BackgroundService
{
    public const string Event = "order.completed";

    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly ConcurrentDictionary<long, HttpClient> _clients = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Poll, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                IReadOnlyList<long> tenants;
                try
                {
                    tenants = await TenantsAsync(stoppingToken);
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    LogLookFailed(logger, e);
                    continue;
                }

                foreach (var tenant in tenants.Where(leadership.Leads))
                {
                    if (!_running.TryGetValue(tenant, out var busy) || busy.IsCompleted)
                    {
                        _running[tenant] = DeliverAsync(tenant, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a claimed try not made is tried again after its claim runs out.
        }

        await Task.WhenAll(_running.Values);
    }

    public override void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        base.Dispose();
    }

    private async Task<IReadOnlyList<long>> TenantsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<long>(new CommandDefinition("SELECT tenant_id FROM erp_webhooks WHERE enabled = TRUE", cancellationToken: ct))).AsList();
    }

    private async Task DeliverAsync(long tenant, CancellationToken ct)
    {
        var caller = new Caller(0, "ERP webhook", tenant, Role.Operator);
        try
        {
            var (hook, claimed) = await sessions.RunAsync(caller, s => ErpDeliveries.ClaimAsync(s, options.Timeout + TimeSpan.FromSeconds(30)), ct);
            foreach (var delivery in claimed)
            {
                var performance = await sessions.RunAsync(caller, s => ProductionStore.PerformanceAsync(s, delivery.OrderId), ct);
                var (status, error) = performance is null
                    ? (null, "the order no longer exists")
                    : await SendAsync(tenant, hook!, delivery.Id, B2mmlPerformance.Write(performance, clock.GetUtcNow()), ct);
                await sessions.RunAsync(caller, async s =>
                {
                    await ErpDeliveries.RecordAsync(s, delivery, status, error, options);
                    return true;
                }, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogDeliveryFailed(logger, e, tenant);
        }
    }

    private async Task<(int? Status, string? Error)> SendAsync(long tenant, ErpWebhooks.WebhookRow hook, long deliveryId, byte[] body, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
        request.Headers.Add(WebhookSigner.EventHeader, Event);
        request.Headers.Add(WebhookSigner.DeliveryHeader, deliveryId.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSigner.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSigner.SignatureHeader, WebhookSigner.Sign(hook.Secret, timestamp, body));
        try
        {
            using var response = await _clients.GetOrAdd(tenant, guard.CreateClient).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return ((int)response.StatusCode, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"no answer within {options.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return (null, WebhookGuard.Describe(e));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for ERP deliveries failed; looking again at the next tick")]
    private static partial void LogLookFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "ERP deliveries of tenant {Tenant} failed; they are tried again")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, long tenant);
}
