namespace Millwright.Mqtt.Server;

/// <summary>
/// One account's live use of the broker. Counts change under <see cref="_lock"/>: connections open and close
/// on many threads, and a check and its increment must be one step so that concurrent clients cannot pass a limit together.
/// </summary>
public sealed class MqttAccount
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private TokenBucket? _publishes;
    private TokenBucket? _connects;
    private int _connections;
    private int _persistentSessions;
    private int _retained;
    private long _retainedBytes;

    internal MqttAccount(string name, MqttAccountLimits limits, TimeProvider clock)
    {
        Name = name;
        _clock = clock;
        Limits = limits;
    }

    public string Name { get; }

    /// <summary>Limits may change while the broker runs (a platform admin raised a quota); they hold from the next check.</summary>
    public MqttAccountLimits Limits { get; private set; }

    public MqttAccountUsage Usage
    {
        get
        {
            lock (_lock)
            {
                return new MqttAccountUsage(_connections, _persistentSessions, _retained, _retainedBytes);
            }
        }
    }

    internal void Update(MqttAccountLimits limits)
    {
        lock (_lock)
        {
            if (limits.PublishRate != Limits.PublishRate)
            {
                _publishes = null;
            }

            if (limits.ConnectRate != Limits.ConnectRate)
            {
                _connects = null;
            }

            Limits = limits;
        }
    }

    /// <summary>Counts a new connection, or names the quota it would break.</summary>
    internal (ReasonCode Code, string? Quota) TryConnect()
    {
        lock (_lock)
        {
            if (Limits.Connections is { } most && _connections >= most)
            {
                return (ReasonCode.QuotaExceeded, $"connection quota ({most})");
            }

            // Only an admitted connect spends a token: a client looping on refused connects runs up no debt
            // that would lock out the account's other clients.
            if (Limits.ConnectRate is { } rate && !(_connects ??= new TokenBucket(rate, _clock)).TryTake())
            {
                return (ReasonCode.ConnectionRateExceeded, $"connection rate quota ({rate:0.##}/s)");
            }

            _connections++;
            return (ReasonCode.Success, null);
        }
    }

    internal void Disconnected()
    {
        lock (_lock)
        {
            _connections--;
        }
    }

    internal string? TryKeepSession()
    {
        lock (_lock)
        {
            if (Limits.PersistentSessions is { } most && _persistentSessions >= most)
            {
                return $"persistent session quota ({most})";
            }

            _persistentSessions++;
            return null;
        }
    }

    internal void SessionEnded()
    {
        lock (_lock)
        {
            _persistentSessions--;
        }
    }

    /// <summary>Whether a retained message of <paramref name="bytes"/> on a new topic (or replacing <paramref name="replacedBytes"/>) fits.</summary>
    internal string? MayRetain(bool newTopic, long bytes, long replacedBytes)
    {
        lock (_lock)
        {
            if (newTopic && Limits.RetainedMessages is { } most && _retained >= most)
            {
                return $"retained message quota ({most})";
            }

            return Limits.RetainedBytes is { } budget && _retainedBytes - replacedBytes + bytes > budget
                ? $"retained bytes quota ({budget} bytes)"
                : null;
        }
    }

    internal void Retained(int messages, long bytes)
    {
        lock (_lock)
        {
            _retained += messages;
            _retainedBytes += bytes;
        }
    }

    /// <summary>How long the account's next publish must wait for its rate; zero when it need not.</summary>
    internal TimeSpan PublishDelay()
    {
        lock (_lock)
        {
            return Limits.PublishRate is { } rate ? (_publishes ??= new TokenBucket(rate, _clock)).Take() : TimeSpan.Zero;
        }
    }
}
