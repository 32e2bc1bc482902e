namespace Millwright.Features.Alarms;

/// <summary>Platform options of alarm notifications; one instance, set by the operator of the platform, not by tenants.</summary>
internal sealed record AlarmOptions
{
    /// <summary>Notifications waiting for delivery; beyond it new ones are dropped and counted, never blocking alarms.</summary>
    public int WebhookQueueCapacity { get; init; } = 1_000;

    public int WebhookMaxAttempts { get; init; } = 6;

    /// <summary>Wait before the first retry; each further retry waits twice as long.</summary>
    public TimeSpan WebhookFirstRetry { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries in flight at once, so that one dead receiver cannot hold up the others.</summary>
    public int WebhookConcurrency { get; init; } = 8;

    /// <summary>Sends to one webhook at once: a receiver that never answers holds at most this many of the shared slots.</summary>
    public int WebhookTargetConcurrency { get; init; } = 2;

    /// <summary>Deliveries one webhook may have waiting or retrying; beyond it its new events are dropped for it (and recorded).</summary>
    public int WebhookTargetPending { get; init; } = 100;

    /// <summary>Failed deliveries in a row that open a webhook's circuit: no sends until <see cref="WebhookBreakerCooldown"/> has passed.</summary>
    public int WebhookBreakerFailures { get; init; } = 5;

    public TimeSpan WebhookBreakerCooldown { get; init; } = TimeSpan.FromMinutes(1);
}
