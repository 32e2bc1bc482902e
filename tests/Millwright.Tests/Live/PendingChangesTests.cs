using Millwright.Features.Live;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Tests.Live;

/// <summary>The per-connection buffer: newest value per (machine, tag), never more than its capacity.</summary>
public sealed class PendingChangesTests
{
    [Fact]
    public void Waiting_values_keep_the_newest_per_tag_and_count_what_they_superseded()
    {
        var pending = new PendingChanges(capacity: 100);

        var first = pending.Offer(1, [Read("a", 10, 1), Read("b", 10, 1)]);
        var second = pending.Offer(1, [Read("a", 20, 2)]);
        var late = pending.Offer(1, [Read("b", 5, 0)]);
        var other = pending.Offer(2, [Read("a", 1, 9)]);

        Assert.Equal((0, true), first);
        Assert.Equal((1, false), second);
        Assert.Equal((1, false), late);
        Assert.Equal((0, false), other);
        var (values, overflowed, _) = pending.Drain();
        Assert.False(overflowed);
        Assert.Equal(2, values[(1, "a")].Value.Number);
        Assert.Equal(10, values[(1, "b")].Timestamp);
        Assert.Equal(9, values[(2, "a")].Value.Number);
        Assert.Equal(0, pending.Count);
        Assert.True(pending.Offer(1, [Read("a", 30, 3)]).Wake);
    }

    [Fact]
    public void A_buffer_that_overflows_holds_nothing_and_asks_for_a_snapshot()
    {
        var pending = new PendingChanges(capacity: 16);
        var offered = 0;
        var coalesced = 0;

        for (var i = 0; i < 10_000; i++)
        {
            Reading[] readings = [.. Enumerable.Range(0, 1 + (i % 5)).Select(n => Read("t" + ((i + n) % 7), i, i))];
            coalesced += pending.Offer(i % 50, readings).Coalesced;
            offered += readings.Length;
            Assert.InRange(pending.Count, 0, 16);
        }

        var (values, overflowed, _) = pending.Drain();
        Assert.True(overflowed);
        Assert.Empty(values);
        Assert.Equal(offered, coalesced);
        Assert.True(pending.Offer(1, [Read("a", 1, 1)]).Wake);
    }

    [Fact]
    public void Forgetting_machines_drops_only_their_values()
    {
        var pending = new PendingChanges(capacity: 100);
        pending.Offer(1, [Read("a", 1, 1)]);
        pending.Offer(2, [Read("a", 1, 2)]);

        pending.Forget(new HashSet<long> { 1 });

        Assert.Equal([(2L, "a")], pending.Drain().Values.Keys);
    }

    private static Reading Read(string tag, long ts, double value) => new(tag, ts, TagValue.Of(value));
}
