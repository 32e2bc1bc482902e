using Millwright.Features.Live;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Tests.Live;

/// <summary>The per-connection fleet positions: the newest per machine, partial reports merged, never more than the capacity.</summary>
public sealed class PendingPositionsTests
{
    [Fact]
    public void The_newest_side_of_each_machine_waits_and_a_message_without_a_position_is_ignored()
    {
        var pending = new PendingPositions(capacity: 100);

        Assert.True(pending.Offer(7, [Read("latitude", 10, 50), Read("longitude", 10, 8), Read("power", 10, 3)]));
        Assert.False(pending.Offer(7, [Read("latitude", 20, 51)]));
        Assert.False(pending.Offer(7, [Read("longitude", 5, 1)]));
        Assert.False(pending.Offer(3, [Read("power", 30, 1)]));
        Assert.False(pending.Offer(3, [Read("latitude", 30, 91), Read("longitude", 30, double.NaN)]));
        Assert.False(pending.Offer(2, [Read("longitude", 40, -179.5)]));

        var (positions, lost, _) = pending.Drain();
        Assert.False(lost);
        Assert.Equal([2L, 7L], positions.Select(p => p.Key));
        Assert.Equal(new MachinePosition(null, -179.5, 40), positions[0].Value);
        // The later latitude replaced the first; the older longitude did not replace the newer one.
        Assert.Equal(new MachinePosition(51, 8, 20), positions[1].Value);
        Assert.Empty(pending.Drain().Positions);
    }

    [Fact]
    public void Past_its_capacity_it_forgets_everything_and_says_so_once()
    {
        var pending = new PendingPositions(capacity: 16);
        for (var machine = 1; machine <= 1_000; machine++)
        {
            pending.Offer(machine, [Read("latitude", 1, 1), Read("longitude", 1, 1)]);
        }

        var (positions, lost, _) = pending.Drain();
        Assert.True(lost);
        Assert.True(positions.Count <= 17);
        Assert.False(pending.Drain().Overflowed);
        Assert.True(pending.Offer(1, [Read("latitude", 2, 2)]));
    }

    private static Reading Read(string tag, long ts, double value) => new(tag, ts, TagValue.Of(value));
}
