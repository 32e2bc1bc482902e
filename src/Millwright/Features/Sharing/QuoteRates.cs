using System.Collections.Concurrent;
using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>
/// Each tenant's rate of instant quotes (a ranking of candidates or a bid, each quoting from the providers' real idle
/// windows): a token bucket of <see cref="QuotaOptions.SharedQuoteRate"/> quotes a minute that holds at most a
/// minute's worth. It bounds the load one tenant puts on the providers' plans, and how fast it can probe when a
/// provider is free (docs/sharing.md, "Limits"). Memory grows with the tenants that asked, which the registry bounds.
/// </summary>
internal sealed class QuoteRates(QuotaOptions quotas, TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, Bucket> _buckets = new();

    /// <summary>Takes one quote's token; null when it may go on, else how long until it could.</summary>
    public TimeSpan? Take(long tenant) =>
        _buckets.GetOrAdd(tenant, static (_, start) => new Bucket(start.Rate, start.Now), (Rate: (double)quotas.SharedQuoteRate, Now: clock.GetTimestamp()))
            .Take(quotas.SharedQuoteRate / 60.0, quotas.SharedQuoteRate, clock);

    /// <summary>The 429 answer: problem details naming the quota, and the wait in whole seconds (at least one) in Retry-After.</summary>
    public static IResult TooMany(HttpContext http, TimeSpan wait)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Quota exceeded",
            detail: "The tenant asks for instant quotes faster than its 'shared-quote-rate' quota (quotes a minute) allows; retry after the time in Retry-After.",
            extensions: new Dictionary<string, object?> { ["quota"] = "shared-quote-rate" });
    }

    private sealed class Bucket(double tokens, long last)
    {
        private readonly Lock _lock = new();
        private double _tokens = tokens;
        private long _last = last;

        public TimeSpan? Take(double perSecond, double capacity, TimeProvider clock)
        {
            lock (_lock)
            {
                var now = clock.GetTimestamp();
                _tokens = Math.Min(capacity, _tokens + (clock.GetElapsedTime(_last, now).TotalSeconds * perSecond));
                _last = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return null;
                }

                return TimeSpan.FromSeconds((1 - _tokens) / perSecond);
            }
        }
    }
}
