namespace Millwright.Reconnect;

/// <summary>
/// One link's retry state under a <see cref="BackoffPolicy"/>: the poller calls <see cref="Healthy"/> whenever the link
/// works (a good poll, a session set up) and <see cref="Failed"/> when it breaks, and waits what Failed answers.
/// Owned by the one loop that drives the link; not thread-safe.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly BackoffPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private DateTimeOffset? _healthySince;

    public ReconnectBackoff(BackoffPolicy? policy = null, TimeProvider? time = null, Random? random = null)
    {
        _policy = policy ?? BackoffPolicy.Default;
        _policy.Validate();
        _time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared;
    }

    /// <summary>Consecutive failures not yet forgiven by a healthy period.</summary>
    public int Failures { get; private set; }

    /// <summary>When the next attempt is due after the last failure; null while the link is healthy.</summary>
    public DateTimeOffset? NextRetry { get; private set; }

    /// <summary>The link works now; the first call after a failure starts the healthy period.</summary>
    public void Healthy()
    {
        _healthySince ??= _time.GetUtcNow();
        NextRetry = null;
    }

    /// <summary>The link broke: counts the failure (first forgiving the earlier ones if the link was healthy long enough) and answers the wait.</summary>
    public TimeSpan Failed()
    {
        var now = _time.GetUtcNow();
        if (_healthySince is { } since && now - since >= _policy.HealthyPeriod)
        {
            Failures = 0;
        }

        _healthySince = null;
        Failures = Math.Min(Failures + 1, int.MaxValue - 1);
        var wait = _policy.Delay(Failures, _random.NextDouble());
        NextRetry = now + wait;
        return wait;
    }
}
