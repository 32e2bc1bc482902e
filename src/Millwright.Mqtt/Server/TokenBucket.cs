namespace Millwright.Mqtt.Server;

/// <summary>A publish-rate limit: <c>rate</c> tokens a second, bursts up to one second's worth.</summary>
internal sealed class TokenBucket
{
    private readonly double _rate;
    private readonly TimeProvider _clock;
    private double _tokens;
    private long _last;

    public TokenBucket(double rate, TimeProvider clock)
    {
        _rate = rate;
        _clock = clock;
        _tokens = rate;
        _last = clock.GetTimestamp();
    }

    /// <summary>Takes a whole token if one is there; otherwise takes nothing.</summary>
    public bool TryTake()
    {
        Refill();
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }

    private void Refill()
    {
        var now = _clock.GetTimestamp();
        _tokens = Math.Min(_rate, _tokens + (_clock.GetElapsedTime(_last, now).TotalSeconds * _rate));
        _last = now;
    }

    /// <summary>Takes a token; when none is left, how long to wait before one is.</summary>
    public TimeSpan Take()
    {
        Refill();
        _tokens -= 1;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _rate);
    }
}
