using System.Collections.Concurrent;
using System.Net;
using Millwright.Api;

namespace Millwright.Features.Makerspace;

/// <summary>
/// The anonymous register route's rates (docs/makerspace.md, "Self-registration"): token buckets of
/// <see cref="QuotaOptions.RegisterRateAddress"/> attempts a minute per client address, taken before the invitation is
/// looked up (so guessing tokens is slow too), and <see cref="QuotaOptions.RegisterRateInvitation"/> a minute per
/// invitation found. Each holds at most a minute's worth. Addresses are anyone's, so their buckets are swept once full
/// again (idle for a minute) whenever more than <see cref="MaxAddresses"/> are kept.
/// </summary>
internal sealed class RegistrationRates(QuotaOptions quotas, TimeProvider clock)
{
    public const int MaxAddresses = 10_000;

    private readonly ConcurrentDictionary<IPAddress, Bucket> _addresses = new();
    private readonly ConcurrentDictionary<(long Tenant, long Invitation), Bucket> _invitations = new();
    private long _lastSweep;

    /// <summary>Takes an attempt from the client address's bucket; null when it may go on, else how long until it could.</summary>
    public TimeSpan? TakeAddress(IPAddress? address)
    {
        // Without an address (a test server, a Unix socket) the requests share one bucket: still a limit, never none.
        address = address is null ? IPAddress.None : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_addresses.Count > MaxAddresses)
        {
            Sweep();
        }

        return Take(_addresses, address, quotas.RegisterRateAddress);
    }

    /// <summary>Takes an attempt from the invitation's bucket (by its id, once the token was found).</summary>
    public TimeSpan? TakeInvitation(long tenant, long invitation) => Take(_invitations, (tenant, invitation), quotas.RegisterRateInvitation);

    /// <summary>The 429 answer: problem details naming the limit, and the wait in whole seconds (at least one) in Retry-After.</summary>
    public static ApiProblem TooMany(string quota, string what, TimeSpan wait) =>
        new(StatusCodes.Status429TooManyRequests, "Quota exceeded",
            $"Too many registrations {what}: the '{quota}' limit (registrations a minute) is reached; retry after the time in Retry-After.")
        {
            Extensions = new Dictionary<string, object?> { ["quota"] = quota },
            RetryAfter = wait,
        };

    private TimeSpan? Take<TKey>(ConcurrentDictionary<TKey, Bucket> buckets, TKey key, int perMinute)
        where TKey : notnull =>
        buckets.GetOrAdd(key, static (_, start) => new Bucket(start.Capacity, start.Now), (Capacity: (double)perMinute, Now: clock.GetTimestamp()))
            .Take(perMinute / 60.0, perMinute, clock);

    private void Sweep()
    {
        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastSweep);
        if ((last != 0 && clock.GetElapsedTime(last, now) < TimeSpan.FromSeconds(10)) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (address, bucket) in _addresses)
        {
            if (bucket.IsFull(quotas.RegisterRateAddress / 60.0, quotas.RegisterRateAddress, clock))
            {
                _addresses.TryRemove(address, out _);
            }
        }
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
                Refill(perSecond, capacity, clock);
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return null;
                }

                return TimeSpan.FromSeconds((1 - _tokens) / perSecond);
            }
        }

        public bool IsFull(double perSecond, double capacity, TimeProvider clock)
        {
            lock (_lock)
            {
                Refill(perSecond, capacity, clock);
                return _tokens >= capacity;
            }
        }

        private void Refill(double perSecond, double capacity, TimeProvider clock)
        {
            var now = clock.GetTimestamp();
            _tokens = Math.Min(capacity, _tokens + (clock.GetElapsedTime(_last, now).TotalSeconds * perSecond));
            _last = now;
        }
    }
}
