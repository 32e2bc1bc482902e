using Millwright.Features.Telemetry;
using Millwright.Testing;

namespace Millwright.Tests.Telemetry;

public sealed class RecentSendersTests
{
    [Fact]
    public void Two_tenants_count_as_sharing_the_writer_until_one_has_been_quiet_for_the_window()
    {
        var clock = new ManualClock();
        var senders = new RecentSenders(clock);
        Assert.False(senders.Several());

        senders.Sent(1);
        senders.Sent(1);
        Assert.False(senders.Several());

        clock.Advance(TimeSpan.FromMilliseconds(900));
        senders.Sent(2);
        Assert.True(senders.Several());

        // Tenant 1 last sent 1.1 s ago: only tenant 2 is left.
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.False(senders.Several());

        senders.Sent(1);
        Assert.True(senders.Several());
    }
}
