namespace Millwright.Learning.Tests;

public sealed class BadInputTests
{
    private const double Alert = 0.8;

    [Fact]
    public void Not_finite_readings_score_zero_and_leave_the_state_unchanged()
    {
        var detector = new AnomalyDetector();
        Series.Run(detector, Series.Steady(500, 1));
        var before = DetectorState.Save(detector);
        var t = Series.Start + 500 * Series.Minute;
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var verdict = detector.Observe(t, bad);
            Assert.Equal(0, verdict.Score);
            Assert.Equal(ReadingStatus.NotFinite, verdict.Status);
        }

        Assert.Equal(before, DetectorState.Save(detector));
    }

    [Fact]
    public void Duplicate_and_out_of_order_readings_are_scored_but_not_learned()
    {
        var detector = new AnomalyDetector();
        Series.Run(detector, Series.Steady(500, 2));
        var before = DetectorState.Save(detector);
        var last = Series.Start + 499 * Series.Minute;
        var duplicate = detector.Observe(last, 50);
        var late = detector.Observe(last - 10 * Series.Minute, 90);
        Assert.Equal(ReadingStatus.OutOfOrder, duplicate.Status);
        Assert.Equal(ReadingStatus.OutOfOrder, late.Status);
        Assert.True(late.Score >= Alert, "an out-of-order reading far off is still reported as unusual");
        Assert.Equal(before, DetectorState.Save(detector));
    }

    [Fact]
    public void A_constant_series_scores_zero_and_its_first_change_is_reported_once()
    {
        var detector = new AnomalyDetector();
        var flat = Series.Run(detector, Enumerable.Repeat(7.0, 2000));
        Assert.All(flat, v => Assert.Equal(0, v.Score, 6));
        var changed = Series.Run(detector, Enumerable.Repeat(7.5, 500), start: Series.Start + 2000 * Series.Minute);
        Assert.True(changed[0].Score >= 0.85);
        Assert.True(Series.CountAbove(changed, Alert) <= 3, $"{Series.CountAbove(changed, Alert)} readings above {Alert}");
    }

    [Fact]
    public void A_gap_in_the_readings_does_not_raise_a_flood_of_alerts()
    {
        var detector = new AnomalyDetector();
        Series.Run(detector, Series.Steady(2000, 3));
        // Six hours of silence, then the same behaviour.
        var after = Series.Run(detector, Series.Steady(1000, 4), start: Series.Start + 2360 * Series.Minute);
        Assert.True(Series.CountAbove(after, Alert) <= 1, $"{Series.CountAbove(after, Alert)} readings above {Alert}");
    }

    [Fact]
    public void A_change_of_sampling_rate_does_not_raise_a_flood_of_alerts()
    {
        var detector = new AnomalyDetector();
        Series.Run(detector, Series.Steady(2000, 5));
        // From one a minute to one every ten seconds, same behaviour.
        var faster = Series.Run(detector, Series.Steady(3000, 6), start: Series.Start + 2000 * Series.Minute, step: 10_000);
        Assert.True(Series.CountAbove(faster, Alert) <= 3, $"{Series.CountAbove(faster, Alert)} readings above {Alert}");
    }

    [Fact]
    public void The_first_readings_are_learned_without_a_score()
    {
        var detector = new AnomalyDetector();
        var first = Series.Run(detector, Series.Steady(30, 7).Select((v, i) => i == 10 ? 1000 : v));
        Assert.All(first, v => Assert.Equal(0, v.Score));
        Assert.All(first, v => Assert.Equal(ReadingStatus.WarmingUp, v.Status));
    }
}
