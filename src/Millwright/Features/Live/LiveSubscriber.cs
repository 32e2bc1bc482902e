using System.Threading.Channels;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.Live;

/// <summary>
/// One connection as the <see cref="LiveFeed"/> sees it: its tenant, the machines it covers and what waits
/// to be sent. Offering never blocks: it merges into <see cref="Pending"/> and wakes the connection's writer.
/// </summary>
internal sealed class LiveSubscriber(long tenantId, int maxPendingValues)
{
    // One slot: a wake-up already waiting covers every change made before the writer drains.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public long TenantId { get; } = tenantId;

    public PendingChanges Pending { get; } = new(maxPendingValues);

    public PendingEvents Events { get; } = new(maxPendingValues);

    public PendingPositions Positions { get; } = new(maxPendingValues);

    /// <summary>Whether the connection watches the tenant's fleet positions; written only under the feed's index lock.</summary>
    public bool WatchesPositions { get; set; }

    /// <summary>The machines this connection covers; read and written only under the feed's index lock.</summary>
    public HashSet<long> Covered { get; } = [];

    public ChannelReader<bool> Wakes => _wake.Reader;

    public void Wake() => _wake.Writer.TryWrite(true);

    public void OfferEvent(string key, byte[] json)
    {
        if (Events.Offer(key, json))
        {
            Wake();
        }
    }

    public void OfferPosition(DeviceMessage message)
    {
        if (Positions.Offer(message.MachineId, message.Readings))
        {
            Wake();
        }
    }

    /// <summary>Returns how many waiting values the message superseded.</summary>
    public int Offer(DeviceMessage message)
    {
        var (coalesced, wake) = Pending.Offer(message.MachineId, message.Readings);
        if (wake)
        {
            Wake();
        }

        return coalesced;
    }
}
