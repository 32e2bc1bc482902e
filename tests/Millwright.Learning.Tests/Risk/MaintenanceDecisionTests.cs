using Millwright.Learning.Risk;

namespace Millwright.Learning.Tests.Risk;

public sealed class MaintenanceDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 22, 0, 0, TimeSpan.Zero);

    // Parts of the kind failed at a median excess of 1 with a log-spread of 0.28.
    private static readonly FailureThreshold Threshold = new(0, 0.28, 12);

    private static Degradation At(double excess, double rate = 0.01) => new(excess, rate, 100, 50, 1);

    [Fact]
    public void The_control_limit_is_the_age_replacement_optimum_and_moves_with_what_a_failure_costs()
    {
        // Figures of the renewal-reward cost rate minimised by a separate numerical scan (docs/predictive-maintenance.md).
        var dear = new MaintenanceDecision(Threshold, new MaintenanceCosts(2, 6));    // a failure costs 4 renewals
        Assert.InRange(dear.ControlLimit, 0.62, 0.64);
        Assert.InRange(dear.CostRate, 2 * 1.82, 2 * 1.84);

        var cheap = new MaintenanceDecision(Threshold, new MaintenanceCosts(2, 3));   // 2.5 renewals
        Assert.InRange(cheap.ControlLimit, 0.71, 0.73);
        Assert.True(cheap.CostRate < dear.CostRate);

        // A failure that costs no more than a renewal is never worth preventing: use the part to its end.
        var free = new MaintenanceDecision(Threshold, new MaintenanceCosts(2, 0));
        Assert.True(free.ControlLimit > 2.5);
    }

    [Fact]
    public void A_fresh_part_waits_for_the_next_free_window_and_a_worn_one_is_renewed_now()
    {
        var decision = new MaintenanceDecision(Threshold, new MaintenanceCosts(2, 6));
        MaintenanceSlot[] slots = [new(Now, 0), new(Now.AddHours(1), 2), new(Now.AddHours(16), 0)];

        Assert.Equal(Now.AddHours(16), decision.Choose(slots, At(0.3), 0.8, Now)?.Start);
        Assert.Equal(Now, decision.Choose(slots, At(0.75), 0.8, Now)?.Start);

        // A part that does not degrade gives no reason to renew it before the last slot.
        Assert.Equal(Now.AddHours(16), decision.Choose(slots, At(0.9, rate: 0), 0.8, Now)?.Start);
    }

    [Fact]
    public void A_stop_within_the_shift_is_chosen_only_when_the_failure_it_prevents_costs_more_than_the_production_it_takes()
    {
        var decision = new MaintenanceDecision(Threshold, new MaintenanceCosts(2, 6));

        // Mid-shift: no free slot now; the shift's hours cost the stop's 2 h, the free window after it costs nothing.
        MaintenanceSlot[] slots = [new(Now, 2), new(Now.AddHours(4), 2), new(Now.AddHours(8), 0)];
        Assert.Equal(Now.AddHours(8), decision.Choose(slots, At(0.7), 0.8, Now)?.Start);

        // Far past the limit and degrading fast: the chance of failing in the shift makes the 2 h worth paying at once.
        var late = decision.Choose(slots, At(1.3, rate: 0.05), 1, Now);
        Assert.Equal(Now, late?.Start);
        Assert.True(decision.ExtraCost(At(1.3, rate: 0.05), 1, Now, slots[2]) > 2);
    }

    [Fact]
    public void The_latest_start_is_when_the_part_reaches_the_control_limit_at_its_rate()
    {
        var decision = new MaintenanceDecision(Threshold, new MaintenanceCosts(2, 6));
        var start = decision.LatestStart(Now, At(decision.ControlLimit - 0.1, rate: 0.01), 0.5);
        Assert.NotNull(start);
        Assert.InRange((start.Value - Now).TotalHours, 19.9, 20.1);      // 0.1 of excess at 0.01 per running hour, half the time running
        Assert.Equal(Now, decision.LatestStart(Now, At(decision.ControlLimit + 0.1), 0.5));
        Assert.Null(decision.LatestStart(Now, At(0.2, rate: 0), 0.5));
    }

    [Fact]
    public void Costs_that_cannot_be_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaintenanceDecision(Threshold, new MaintenanceCosts(0, 6)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaintenanceDecision(Threshold, new MaintenanceCosts(2, -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaintenanceDecision(Threshold, new MaintenanceCosts(double.NaN, 6)));
    }
}
