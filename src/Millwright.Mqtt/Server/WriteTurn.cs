namespace Millwright.Mqtt.Server;

/// <summary>
/// Whose turn it is to write a connection's output. Nobody's while the connection is idle, so that an idle
/// connection keeps no writer waiting (no suspended frame, no wait object, no cancellation registration): a wake
/// starts one flush when none runs, a wake during a flush makes it go round once more, and many wakes make one.
/// A struct kept inside its connection, so it costs no allocation; it starts owned (by the connect phase), so that
/// wakes before CONNACK wait for the first flush.
/// </summary>
internal struct WriteTurn
{
    private const int Owned = 0;
    private const int OwnedWoken = 1;
    private const int Idle = 2;
    private const int Stopped = 3;

    private int _state;

    /// <summary>True while no flush runs (nor the connect phase holds the turn), for tests.</summary>
    public bool IsFree => Volatile.Read(ref _state) is Idle or Stopped;

    /// <summary>On a wake: true when the caller must start a flush (nobody had the turn).</summary>
    public bool Wake()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Idle when Interlocked.CompareExchange(ref _state, Owned, Idle) == Idle:
                    return true;
                case Owned when Interlocked.CompareExchange(ref _state, OwnedWoken, Owned) == Owned:
                    return false;
                case OwnedWoken or Stopped:
                    return false;
            }
        }
    }

    /// <summary>By the owner, before it looks for work: the wakes until now are served by this round.</summary>
    public void BeginRound() => Interlocked.CompareExchange(ref _state, Owned, OwnedWoken);

    /// <summary>By the owner, after a round: true when it may stop (nothing woke it meanwhile); false: go round again.</summary>
    public bool TryEndTurn() => Interlocked.CompareExchange(ref _state, Idle, Owned) == Owned;

    /// <summary>By the owner: no flush runs ever again (the connection is closing, or its stream failed).</summary>
    public void EndForGood() => Volatile.Write(ref _state, Stopped);

    /// <summary>By anyone: true once nobody has the turn and nobody can take it again; false while an owner still writes.</summary>
    public bool TryStop() => Interlocked.CompareExchange(ref _state, Stopped, Idle) is Idle or Stopped;
}
