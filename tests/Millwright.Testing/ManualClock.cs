namespace Millwright.Testing;

/// <summary>
/// The one fake clock of the test suite: time moves only when a test moves it, so a test of a 30-second
/// delay takes no 30 seconds and never sleeps. Timers created through it fire only inside
/// <see cref="Advance"/> or a forward <see cref="Now"/> assignment, on the calling thread, in due order.
/// Hand-written rather than Microsoft.Extensions.TimeProvider.Testing's FakeTimeProvider because tests
/// need <see cref="ActiveTimers"/> (to see that the code under test is waiting) and may set the time back.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    /// <summary>A fixed default start (a Thursday, 06:00 UTC), so that runs do not depend on the day they run.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 6, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;

    public ManualClock()
        : this(DefaultStart)
    {
    }

    public ManualClock(DateTimeOffset start) => _now = start;

    /// <summary>The current time; setting it forward runs the timers that came due, setting it back runs none.</summary>
    public DateTimeOffset Now
    {
        get => GetUtcNow();
        set
        {
            var by = value - GetUtcNow();
            if (by > TimeSpan.Zero)
            {
                Advance(by);
                return;
            }

            lock (_lock)
            {
                _now = value;
            }
        }
    }

    /// <summary>The current time in Unix milliseconds, the unit telemetry timestamps use.</summary>
    public long NowMs
    {
        get => Now.ToUnixTimeMilliseconds();
        set => Now = DateTimeOffset.FromUnixTimeMilliseconds(value);
    }

    /// <summary>How many timers are armed: a test sees through it that the code under test now waits for time.</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward and runs every timer that came due on the way, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.Due is { } due && due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = target;
                    return;
                }

                // A timer fires at its due time, so what it reads from the clock is that time.
                if (next.Due!.Value > _now)
                {
                    _now = next.Due.Value;
                }

                next.Due = next.Period is { } period ? next.Due + period : null;
            }

            // Outside the lock: a callback may read the clock or re-arm its timer.
            next.Fire();
        }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            }

            return true;
        }

        public void Dispose()
        {
            lock (clock._lock)
            {
                Due = null;
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
