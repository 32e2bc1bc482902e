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
}
