namespace Millwright.Features.Erp;

/// <summary>How completed orders are sent to tenants' ERP webhooks; one instance, set by the platform's operator.</summary>
internal sealed record ErpOptions
{
    /// <summary>How often newly completed orders and due retries are looked for.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one delivery may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failed try; it doubles with each further failure, up to an hour.</summary>
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Tries before a delivery is given up (recorded as failed).</summary>
    public int MaxAttempts { get; init; } = 10;
}
