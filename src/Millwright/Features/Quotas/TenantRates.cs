using System.Collections.Concurrent;
using Millwright.Api;

namespace Millwright.Features.Quotas;

/// <summary>
/// Each tenant's HTTP telemetry rate: a token bucket of <see cref="QuotaOptions.PublishRate"/> tokens a second that
/// holds at most one second's worth. Memory grows with the tenants that sent something, which the registry bounds.
/// </summary>
internal sealed class TenantRates(QuotaOptions quotas, TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, Bucket> _buckets = new();

    /// <summary>Takes one message's token; null when it may go on, else how long until it could.</summary>
    public TimeSpan? Take(long tenant)
    {
        var bucket = _buckets.GetOrAdd(tenant, static (_, start) => new Bucket(start.Rate, start.Now), (Rate: (double)quotas.PublishRate, Now: clock.GetTimestamp()));
        return bucket.Take(quotas.PublishRate, clock);
    }

    private sealed class Bucket(double tokens, long last)
    {
        private readonly Lock _lock = new();
        private double _tokens = tokens;
        private long _last = last;

        public TimeSpan? Take(double rate, TimeProvider clock)
        {
            lock (_lock)
            {
                var now = clock.GetTimestamp();
                _tokens = Math.Min(rate, _tokens + (clock.GetElapsedTime(_last, now).TotalSeconds * rate));
                _last = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return null;
                }

                return TimeSpan.FromSeconds((1 - _tokens) / rate);
            }
        }
    }
}
