using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>The writer's wake-up: kept when nobody waits, coalesced, and never lost between a wake and a wait.</summary>
public sealed class WakeSignalTests
{
    [Fact]
    public async Task A_wake_before_the_wait_completes_it_at_once_and_many_wakes_make_one()
    {
        var signal = new WakeSignal();
        signal.Wake();
        signal.Wake();

        Assert.True(signal.WaitAsync().AsTask().IsCompleted);
        var next = signal.WaitAsync().AsTask();
        Assert.False(next.IsCompleted);

        signal.Wake();
        await next.WaitAsync(Eventually.DefaultPatience);
    }

    [Fact]
    public async Task A_waiter_and_wakers_racing_never_lose_the_last_wake()
    {
        var signal = new WakeSignal();
        var produced = 0;
        var consumed = 0;
        var wakers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                Interlocked.Increment(ref produced);
                signal.Wake();
            }
        })).ToArray();

        // The writer's pattern: take everything there is, then wait; every increment is seen after some wake.
        var writer = Task.Run(async () =>
        {
            while (Volatile.Read(ref consumed) < 80_000)
            {
                await signal.WaitAsync();
                Volatile.Write(ref consumed, Volatile.Read(ref produced));
            }
        });

        await Task.WhenAll(wakers);
        await writer.WaitAsync(Eventually.DefaultPatience);
        Assert.Equal(80_000, consumed);
    }
}
