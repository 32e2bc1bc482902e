namespace Millwright.Learning.Tests;

public sealed class StateTests
{
    [Fact]
    public void A_restored_detector_scores_exactly_as_the_one_it_was_saved_from()
    {
        var random = new Random(1);
        var original = new AnomalyDetector();
        var t = Series.Start;
        for (var i = 0; i < 5000; i++, t += 5 * Series.Minute)
        {
            original.Observe(t, Series.Daily(t, random));
        }

        var restored = DetectorState.Restore(DetectorState.Save(original));
        for (var i = 0; i < 2000; i++, t += 5 * Series.Minute)
        {
            var value = i == 1000 ? 400 : Series.Daily(t, random);
            Assert.Equal(original.Observe(t, value), restored.Observe(t, value));
        }
    }

    [Fact]
    public void The_saved_state_has_a_bounded_size_whatever_the_series_length()
    {
        // Under a day: the daily view only (and the range view's 404 bytes). From a day on the weekly view adds a fixed amount.
        var young = new AnomalyDetector();
        Series.Run(young, Series.Steady(10, 1));
        Assert.True(DetectorState.Save(young).Length < 3100);
        var a = new AnomalyDetector();
        var b = new AnomalyDetector();
        Series.Run(a, Series.Steady(2000, 1));
        Series.Run(b, Series.Steady(20_000, 2));
        Assert.Equal(DetectorState.Save(a).Length, DetectorState.Save(b).Length);
        Assert.True(DetectorState.Save(b).Length < 5400);
    }

    [Fact]
    public void A_corrupt_or_foreign_state_is_refused()
    {
        var saved = DetectorState.Save(new AnomalyDetector());
        Assert.Throws<FormatException>(() => DetectorState.Restore(saved.AsSpan(0, saved.Length - 1)));
        Assert.Throws<FormatException>(() => DetectorState.Restore(saved, new DetectorOptions { DailyBuckets = 24 }));
        var wrongVersion = (byte[])saved.Clone();
        wrongVersion[0] = 99;
        Assert.Throws<FormatException>(() => DetectorState.Restore(wrongVersion));
        var notFinite = (byte[])saved.Clone();
        BitConverter.GetBytes(double.NaN).CopyTo(notFinite, 1 + 4 + 24);
        Assert.Throws<FormatException>(() => DetectorState.Restore(notFinite));
        Assert.Throws<FormatException>(() => DetectorState.Restore(saved, new DetectorOptions { RangeBins = 8 }));
    }

    /// <summary>Version 3's block after version 2's layout: the hold, the range view and its tail histogram.</summary>
    internal const int RangeBlock = 8 + 8 + 4 + 8 + (8 * 6) + (8 * (5 + 2)) + (8 * (2 + 32));

    [Fact]
    public void A_version_2_state_restores_without_a_hold_and_with_a_range_view_that_learns_again()
    {
        var detector = new AnomalyDetector();
        Series.Run(detector, Series.Steady(3000, 3));
        Assert.True(detector.Observe(Series.Start + 3000 * Series.Minute, 65).Score >= 0.9);
        var saved = DetectorState.Save(detector);
        var v2 = saved[..^RangeBlock];
        v2[0] = 2;
        var restored = DetectorState.Restore(v2);
        Assert.Equal(0, restored.HoldUntil);
        Assert.False(restored.Range.Fixed);
        Assert.Equal(detector.Learned, restored.Learned);
        Series.Run(restored, Series.Steady(300, 4), start: Series.Start + 3001 * Series.Minute);
        Assert.True(restored.Range.Fixed);
    }
}
