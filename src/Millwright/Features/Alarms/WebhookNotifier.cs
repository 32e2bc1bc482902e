using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Millwright.Api;
using Millwright.Hosting;
using Millwright.Security;

namespace Millwright.Features.Alarms;

/// <summary>
/// Delivers alarm transitions to the tenants' webhooks. It reads <see cref="AlarmEvents"/> through its own bounded
/// queue (full: the event is dropped for webhooks and counted; alarms and ingest never wait for it), retries a
/// failed delivery with exponential back-off on the injected clock, and records every attempt.
/// </summary>
internal sealed class WebhookNotifier : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ChannelReader<AlarmEventMessage> _events;
    private readonly Sessions _sessions;
    private readonly AlarmOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebhookNotifier> _logger;
    private readonly WebhookGuard _guard;
    // One client per tenant: a pooled connection was checked for the tenant that opened it, and must not carry
    // another tenant's delivery to an address only the first may reach.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, HttpClient> _clients = new();
    private readonly SemaphoreSlim _pending;
    private readonly SemaphoreSlim _sending;
    private readonly WebhookTargets _targets;
    private readonly Counter<long> _attempts;
    private readonly Metrics.TenantLabels _tenants;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _inFlight = new();

    public WebhookNotifier(AlarmEvents events, Sessions sessions, AlarmOptions options, WebhookGuard guard, TimeProvider clock, IMeterFactory meters,
        Metrics.TenantLabels tenants, ILogger<WebhookNotifier> logger)
    {
        _events = events.Subscribe(options.WebhookQueueCapacity, BoundedChannelFullMode.Wait);
        _sessions = sessions;
        _options = options;
        _clock = clock;
        _logger = logger;
        _pending = new SemaphoreSlim(options.WebhookQueueCapacity);
        _targets = new WebhookTargets(options, clock);
        _sending = new SemaphoreSlim(options.WebhookConcurrency);
        _guard = guard;
        _tenants = tenants;
        _attempts = meters.Create(AlarmEngine.MeterName).CreateCounter<long>("millwright.alarms.webhook_attempts", description: "Webhook delivery attempts");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in _events.ReadAllAsync(stoppingToken))
            {
                if (message.Suppressed)
                {
                    continue;
                }

                IReadOnlyList<WebhookRow> hooks;
                try
                {
                    hooks = await _sessions.RunAsync(AlarmWriter.System(message.TenantId), s => Webhooks.ForSeverityAsync(s, message.Severity), stoppingToken);
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    _logger.LogError(e, "Reading the webhooks of tenant {Tenant} failed", message.TenantId);
                    continue;
                }

                foreach (var hook in hooks)
                {
                    if (!_targets.TryStart(hook.Id))
                    {
                        // This webhook already holds its share of deliveries (a slow or dead receiver): its event is
                        // dropped and counted, so it cannot fill the queue that every other tenant's webhooks share.
                        _attempts.Add(1, new KeyValuePair<string, object?>("outcome", "dropped"));
                        continue;
                    }

                    // Bounds deliveries in flight, retries included; waiting here fills our queue, which then drops.
                    await _pending.WaitAsync(stoppingToken);
                    var delivery = DeliverAsync(hook, message, stoppingToken);
                    _inFlight.TryAdd(delivery, 0);
                    _ = delivery.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; deliveries in flight end with the token.
        }
    }

    /// <summary>Deliveries end with the stopping token (a back-off or a send is cancelled); wait for them before disposing.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await Task.WhenAll(_inFlight.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown deadline passed; what is left is abandoned, as a restart would.
        }
    }

    public override void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _pending.Dispose();
        _sending.Dispose();
        _targets.Dispose();
        base.Dispose();
    }

    private async Task DeliverAsync(WebhookRow hook, AlarmEventMessage message, CancellationToken ct)
    {
        try
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(Payload(message), Json);
            for (var attempt = 1; attempt <= _options.WebhookMaxAttempts; attempt++)
            {
                var (status, error) = await SendAsync(hook, message, body, ct);
                var delivered = status is >= 200 and < 300;
                var outcome = delivered ? "delivered" : attempt == _options.WebhookMaxAttempts ? "failed" : "retrying";
                _attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome), _tenants.For(hook.TenantId));
                if (!await RecordAsync(hook, message, attempt, status, error, outcome, ct) || delivered)
                {
                    return;
                }

                if (attempt < _options.WebhookMaxAttempts)
                {
                    await Task.Delay(_options.WebhookFirstRetry * Math.Pow(2, attempt - 1), _clock, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Webhook {Webhook} delivery of event {Event} failed", hook.Id, message.EventId);
        }
        finally
        {
            _targets.Finished(hook.Id);
            _pending.Release();
        }
    }

    private async Task<(int? Status, string? Error)> SendAsync(WebhookRow hook, AlarmEventMessage message, byte[] body, CancellationToken ct)
    {
        if (_targets.Refusal(hook.Id) is { } open)
        {
            return (null, open);
        }

        // The webhook's own slot first: a receiver that never answers waits on its own slots, not on the shared ones.
        using var slot = await _targets.SendSlotAsync(hook.Id, ct);
        await _sending.WaitAsync(ct);
        var delivered = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.WebhookTimeout);
            var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Add(WebhookSigner.EventHeader, "alarm." + message.Kind);
            request.Headers.Add(WebhookSigner.DeliveryHeader, message.EventId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSigner.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSigner.SignatureHeader, WebhookSigner.Sign(hook.Secret, timestamp, body));
            var http = _clients.GetOrAdd(hook.TenantId, _guard.CreateClient);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            delivered = response.IsSuccessStatusCode;
            return ((int)response.StatusCode, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"no answer within {_options.WebhookTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return (null, WebhookGuard.Describe(e));
        }
        finally
        {
            _sending.Release();
            if (!ct.IsCancellationRequested)
            {
                _targets.Record(hook.Id, delivered);
            }
        }
    }

    /// <summary>False when the webhook is gone (deleted meanwhile), which ends the delivery.</summary>
    private async Task<bool> RecordAsync(WebhookRow hook, AlarmEventMessage message, int attempt, int? status, string? error, string outcome, CancellationToken ct)
    {
        return await _sessions.RunAsync(AlarmWriter.System(hook.TenantId), async s =>
        {
            if (await s.ScalarAsync<long>("SELECT COUNT(*) FROM webhooks WHERE tenant_id = @Tenant AND id = @Id", new { s.Tenant, hook.Id }) == 0)
            {
                return false;
            }

            await s.ExecuteAsync(
                """
                INSERT INTO webhook_deliveries (tenant_id, webhook_id, event_id, alarm_id, attempt, at, status_code, error, outcome)
                VALUES (@Tenant, @Id, @EventId, @AlarmId, @attempt, @Now, @status, @error, @outcome)
                """,
                new { s.Tenant, hook.Id, message.EventId, message.AlarmId, attempt, s.Now, status, error, outcome });
            return true;
        }, ct);
    }

    private static object Payload(AlarmEventMessage m) => new
    {
        @event = "alarm." + m.Kind,
        eventId = m.EventId,
        at = m.At,
        alarm = new
        {
            id = m.AlarmId,
            state = m.State,
            severity = m.Severity,
            message = m.Message,
            ruleId = m.RuleId,
            rule = m.RuleName,
            machineId = m.MachineId,
            machine = m.MachineName,
            tag = m.Tag,
            value = m.Value,
        },
        actor = m.Actor,
        comment = m.Comment,
    };
}
