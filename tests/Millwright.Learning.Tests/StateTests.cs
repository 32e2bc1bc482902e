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
        // Under a day: the daily view only. From a day on the weekly view adds a fixed amount.
        var young = new AnomalyDetector();
        Series.Run(young, Series.Steady(10, 1));
        Assert.True(DetectorState.Save(young).Length < 3000);
        var a = new AnomalyDetector();
        var b = new AnomalyDetector();
        Series.Run(a, Series.Steady(2000, 1));
        Series.Run(b, Series.Steady(20_000, 2));
        Assert.Equal(DetectorState.Save(a).Length, DetectorState.Save(b).Length);
        Assert.True(DetectorState.Save(b).Length < 5300);
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
    }
}
