using Millwright.Learning.Risk;

namespace Millwright.Learning.Tests.Risk;

public sealed class OpportunisticRenewalTests
{
    // Parts of the kind failed at a median excess of 1 with a log-spread of 0.28.
    private static readonly FailureThreshold Threshold = new(0, 0.28, 12);

    // A visit of its own costs 2 h, a renewal during a repair 1 h beyond it, a failure 10 h; parts last 200 h; a stop every 10 h.
    private static readonly OpportunityCosts Costs = new(Visit: 2, Marginal: 1, Failure: 10, MeanLifeHours: 200, StopsPerHour: 0.1);

    private static Degradation At(double excess, double rate = 0.005) => new(excess, rate, 100, 50, 1);

    private static double? Deadline(Degradation part) => FailureRisk.HoursUntilRisk(part, Threshold, 1, 0.05);

    [Fact]
    public void A_part_far_from_its_deadline_waits_and_one_close_to_it_is_renewed_at_the_repair()
    {
        var fresh = At(0.3);
        Assert.True(Deadline(fresh) > 50);
        Assert.False(OpportunisticRenewal.RenewNow(Deadline(fresh), fresh, Threshold, 1, Costs));

        var worn = At(0.6);
        Assert.InRange(Deadline(worn)!.Value, 0, 20);
        Assert.True(OpportunisticRenewal.RenewNow(Deadline(worn), worn, Threshold, 1, Costs));
    }

    [Fact]
    public void The_costs_are_the_expected_wait_for_the_next_stop_and_the_visit_needed_when_none_comes()
    {
        var part = At(0.5);
        var deadline = 30.0;
        var (now, wait) = OpportunisticRenewal.Costs(deadline, part, Threshold, 1, Costs)!.Value;

        // The next renewal comes at the shorter of an exponential wait for a stop (mean 10 h) and the deadline: its
        // mean by a separate numerical integration of the survival function, and no stop before 30 h with e^-3.
        double expectedWait = 0;
        for (var t = 0.0005; t < deadline; t += 0.001)
        {
            expectedWait += Math.Exp(-0.1 * t) * 0.001;
        }

        var noStop = Math.Exp(-3);
        var fails = FailureRisk.Within(part, Threshold, 1, TimeSpan.FromHours(expectedWait));
        Assert.Equal(1 + (expectedWait / 200 * 2), now, 1e-3);
        Assert.Equal((noStop * 2) + ((1 - noStop) * 1) + (fails * 10), wait, 1e-3);
    }

    [Fact]
    public void Without_other_stops_a_part_is_renewed_at_this_one_only_when_its_own_visit_would_come_soon()
    {
        var rare = Costs with { StopsPerHour = 0 };
        var part = At(0.5);

        // Renewing now costs the marginal hour and the life to the deadline; waiting costs the visit for certain.
        Assert.True(OpportunisticRenewal.RenewNow(10, part, Threshold, 1, rare));   // 1 + 10/200·2 = 1.1 < 2 + risk
        Assert.False(OpportunisticRenewal.RenewNow(150, At(0.1, rate: 0.001), Threshold, 1, rare)); // 1 + 150/200·2 = 2.5 > 2 + almost no risk
    }

    [Fact]
    public void A_new_part_or_one_not_degrading_is_never_renewed_at_a_repair()
    {
        Assert.False(OpportunisticRenewal.RenewNow(5, Degradation.None, Threshold, 1, Costs));
        var steady = At(0.9, rate: 0);
        Assert.False(OpportunisticRenewal.RenewNow(Deadline(steady), steady, Threshold, 1, Costs));
    }

    [Fact]
    public void The_costs_are_learned_from_the_kinds_down_spells_lives_and_repairs()
    {
        // Four down spells in 100 production hours: one every 25 h. A 2 h renewal outlasts the 0.5 and 1.5 h spells
        // by 1.5 and 0.5 h, and the 3 h and 6 h ones not at all: 0.5 h beyond on average.
        var costs = OpportunityCosts.Learn(2, 2, [0.5, 1.5, 3, 6], 100, [150, 250], [3, 6])!;
        Assert.Equal((2.0, 0.5, 2 + 4.5, 200.0, 0.04), (costs.Visit, costs.Marginal, costs.Failure, costs.MeanLifeHours, costs.StopsPerHour));

        Assert.Null(OpportunityCosts.Learn(2, 2, [], 100, [150], [3]));
        Assert.Null(OpportunityCosts.Learn(2, 2, [1], 100, [], [3]));
        Assert.Null(OpportunityCosts.Learn(2, 2, [1], 100, [150], []));
        Assert.Null(OpportunityCosts.Learn(2, 2, [1], 0, [150], [3]));
    }
}
