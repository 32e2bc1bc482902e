using Millwright.Features.Alarms;

namespace Millwright.Tests.Alarms;

/// <summary>One webhook's limits: its share of deliveries, its send slots and its circuit breaker, on a clock the test moves.</summary>
public sealed class WebhookTargetsTests
{
    private static readonly AlarmOptions Options = new()
    {
        WebhookTargetPending = 2,
        WebhookTargetConcurrency = 1,
        WebhookBreakerFailures = 3,
        WebhookBreakerCooldown = TimeSpan.FromSeconds(60),
    };

    [Fact]
    public void A_webhook_holding_its_share_of_deliveries_takes_no_more_while_another_webhook_still_does()
    {
        using var targets = new WebhookTargets(Options, new ManualClock());
        Assert.True(targets.TryStart(1));
        Assert.True(targets.TryStart(1));
        Assert.False(targets.TryStart(1));
        Assert.True(targets.TryStart(2));

        targets.Finished(1);
        Assert.True(targets.TryStart(1));
    }

    [Fact]
    public void Failures_in_a_row_open_the_circuit_until_the_cool_down_has_passed()
    {
        var clock = new ManualClock();
        using var targets = new WebhookTargets(Options, clock);
        targets.Record(7, delivered: false);
        targets.Record(7, delivered: false);
        Assert.Null(targets.Refusal(7));

        targets.Record(7, delivered: false);
        Assert.Contains("3 deliveries in a row failed", targets.Refusal(7), StringComparison.Ordinal);
        Assert.Null(targets.Refusal(8));

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.NotNull(targets.Refusal(7));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(targets.Refusal(7));

        // Half-open: one more failure opens it again at once; a success closes it for good.
        targets.Record(7, delivered: false);
        Assert.NotNull(targets.Refusal(7));
        clock.Advance(TimeSpan.FromSeconds(61));
        targets.Record(7, delivered: true);
        targets.Record(7, delivered: false);
        Assert.Null(targets.Refusal(7));
    }

    [Fact]
    public async Task A_webhook_sends_on_its_own_slots_so_a_hung_one_does_not_take_another_ones()
    {
        using var targets = new WebhookTargets(Options, new ManualClock());
        var hung = await targets.SendSlotAsync(1, CancellationToken.None);

        var second = targets.SendSlotAsync(1, CancellationToken.None);
        Assert.False(second.IsCompleted);
        using (await targets.SendSlotAsync(2, CancellationToken.None))
        {
        }

        hung.Dispose();
        using var after = await second.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
