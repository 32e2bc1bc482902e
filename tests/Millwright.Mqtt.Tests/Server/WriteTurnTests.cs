using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>The writer's turn: held by nobody while idle, one flush at a time, no wake ever lost, and none after the stop.</summary>
public sealed class WriteTurnTests
{
    [Fact]
    public void Wakes_before_the_first_flush_start_nothing_and_are_kept_for_it()
    {
        var turn = new WriteTurn();

        // The connect phase owns the turn: nothing may be written before CONNACK.
        Assert.False(turn.Wake());
        Assert.False(turn.Wake());

        // The first flush runs a round; the wakes it saw before are served by it, so it may end after one more round.
        turn.BeginRound();
        Assert.True(turn.TryEndTurn());

        // Idle: the next wake starts a flush, and only one.
        Assert.True(turn.Wake());
        Assert.False(turn.Wake());
    }

    [Fact]
    public void A_wake_during_a_round_makes_the_flush_go_round_again()
    {
        var turn = new WriteTurn();
        turn.BeginRound();
        Assert.True(turn.TryEndTurn());
        Assert.True(turn.Wake());

        turn.BeginRound();
        Assert.False(turn.Wake());
        Assert.False(turn.TryEndTurn());
        turn.BeginRound();
        Assert.True(turn.TryEndTurn());
    }

    [Fact]
    public void Stopping_waits_for_the_owner_and_then_no_wake_starts_a_flush()
    {
        var turn = new WriteTurn();
        Assert.False(turn.TryStop());

        turn.BeginRound();
        Assert.True(turn.TryEndTurn());
        Assert.True(turn.TryStop());
        Assert.True(turn.TryStop());
        Assert.False(turn.Wake());

        var failed = new WriteTurn();
        failed.EndForGood();
        Assert.True(failed.TryStop());
        Assert.False(failed.Wake());
    }

    [Fact]
    public async Task Wakers_racing_never_make_two_flushes_run_at_once_nor_lose_the_last_wake()
    {
        var holder = new TurnHolder();
        var produced = 0;
        var consumed = 0;
        var running = 0;
        var overlaps = 0;
        var flushes = 0;

        void Flush()
        {
            Interlocked.Increment(ref flushes);
            if (Interlocked.Increment(ref running) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            while (true)
            {
                holder.Turn.BeginRound();
                Volatile.Write(ref consumed, Volatile.Read(ref produced));
                Interlocked.Decrement(ref running);
                if (holder.Turn.TryEndTurn())
                {
                    return;
                }

                Interlocked.Increment(ref running);
            }
        }

        // Start idle, as a connection is after its first flush.
        holder.Turn.BeginRound();
        Assert.True(holder.Turn.TryEndTurn());

        var wakers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                Interlocked.Increment(ref produced);
                if (holder.Turn.Wake())
                {
                    ThreadPool.UnsafeQueueUserWorkItem(_ => Flush(), null);
                }
            }
        })).ToArray();
        await Task.WhenAll(wakers);

        // Every increment is followed by a wake, so the last flush started after it sees it.
        await Eventually.TrueAsync(() => Volatile.Read(ref consumed) == 80_000 && holder.Turn.TryStop(), "the last wake served and the turn free", Eventually.DefaultPatience);
        Assert.Equal(0, overlaps);
        Assert.True(flushes > 0);
    }

    /// <summary>The turn lives in a field, as in a connection, so that every thread changes the same one.</summary>
    private sealed class TurnHolder
    {
        public WriteTurn Turn;
    }
}
