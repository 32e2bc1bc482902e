using System.Collections.Concurrent;

namespace Millwright.Features.Alarms;

/// <summary>
/// Per-webhook limits that keep one bad target from taking the notifier from everyone else: a bound on its
/// deliveries waiting or retrying, a bound on its sends at once, and a circuit breaker that stops sending to a
/// target after consecutive failures until a cool-down has passed on the injected clock.
/// </summary>
internal sealed class WebhookTargets(AlarmOptions options, TimeProvider clock) : IDisposable
{
    private readonly ConcurrentDictionary<long, Target> _targets = new();

    /// <summary>Counts a new delivery for the webhook, or false when it already holds its share (the event is dropped for it).</summary>
    public bool TryStart(long webhookId)
    {
        var target = _targets.GetOrAdd(webhookId, _ => new Target(options.WebhookTargetConcurrency));
        lock (target)
        {
            if (target.Pending >= options.WebhookTargetPending)
            {
                return false;
            }

            target.Pending++;
            return true;
        }
    }

    public void Finished(long webhookId)
    {
        if (_targets.TryGetValue(webhookId, out var target))
        {
            lock (target)
            {
                target.Pending--;
            }
        }
    }

    /// <summary>Why nothing is sent now (the circuit is open), or null when a send may go ahead.</summary>
    public string? Refusal(long webhookId)
    {
        if (!_targets.TryGetValue(webhookId, out var target))
        {
            return null;
        }

        lock (target)
        {
            return target.OpenUntil is { } until && clock.GetUtcNow() < until
                ? $"not sent: {target.Failures} deliveries in a row failed, so sending pauses until {until:yyyy-MM-ddTHH:mm:ssZ}"
                : null;
        }
    }

    /// <summary>Waits for one of the webhook's send slots.</summary>
    public Task<IDisposable> SendSlotAsync(long webhookId, CancellationToken ct) =>
        _targets.GetOrAdd(webhookId, _ => new Target(options.WebhookTargetConcurrency)).Slot(ct);

    /// <summary>Records a send's outcome: a success closes the circuit, enough failures in a row open it.</summary>
    public void Record(long webhookId, bool delivered)
    {
        var target = _targets.GetOrAdd(webhookId, _ => new Target(options.WebhookTargetConcurrency));
        lock (target)
        {
            if (delivered)
            {
                target.Failures = 0;
                target.OpenUntil = null;
                return;
            }

            target.Failures++;
            if (target.Failures >= options.WebhookBreakerFailures)
            {
                target.OpenUntil = clock.GetUtcNow() + options.WebhookBreakerCooldown;
            }
        }
    }

    public void Dispose()
    {
        foreach (var target in _targets.Values)
        {
            target.Dispose();
        }
    }

    private sealed class Target(int concurrency) : IDisposable
    {
        private readonly SemaphoreSlim _sending = new(concurrency);

        public void Dispose() => _sending.Dispose();

        public int Pending { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset? OpenUntil { get; set; }

        public async Task<IDisposable> Slot(CancellationToken ct)
        {
            await _sending.WaitAsync(ct);
            return new Release(_sending);
        }

        private sealed class Release(SemaphoreSlim semaphore) : IDisposable
        {
            private int _released;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _released, 1) == 0)
                {
                    semaphore.Release();
                }
            }
        }
    }
}
