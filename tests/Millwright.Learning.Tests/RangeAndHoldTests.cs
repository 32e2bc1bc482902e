using Xunit.Abstractions;

namespace Millwright.Learning.Tests;

/// <summary>The range view, the hold after a detection and the scores' calibration on a series with nothing to find.</summary>
public sealed class RangeAndHoldTests(ITestOutputHelper output)
{
    [Fact]
    public void On_a_stationary_series_the_scores_stay_low()
    {
        var detector = new AnomalyDetector();
        var verdicts = Series.Run(detector, Series.Steady(20_000, 22)).Skip(1000).ToList();
        output.WriteLine($"max {Series.Max(verdicts):0.000}, at or above 0.6: {Series.CountAbove(verdicts, 0.6)}, 0.8: {Series.CountAbove(verdicts, 0.8)}");
        // 19,000 ordinary readings: a few in a thousand reach the detection score, a handful 0.8, none 0.9.
        Assert.True(Series.CountAbove(verdicts, detector.Options.DetectionScore) <= 95, $"{Series.CountAbove(verdicts, 0.6)} at or above 0.6");
        Assert.True(Series.CountAbove(verdicts, 0.8) <= 10, $"{Series.CountAbove(verdicts, 0.8)} at or above 0.8");
        Assert.True(Series.Max(verdicts) < 0.9, $"max {Series.Max(verdicts)}");
    }

    [Fact]
    public void The_range_is_learned_from_the_first_readings_and_a_value_outside_it_after_a_quiet_period_scores_high()
    {
        var detector = new AnomalyDetector();
        var quiet = Series.Run(detector, Series.Steady(2000, 25));
        // The steady noise spans 50 ± 1.5: the range is what the first 300 readings showed, widened by a tenth each side.
        Assert.True(detector.Range.Fixed);
        Assert.InRange(detector.Range.Low, 48, 49.5);
        Assert.InRange(detector.Range.High, 50.5, 52);
        var spike = detector.Observe(Series.Start + 2000 * Series.Minute, 58);
        output.WriteLine($"spike {spike.Score:0.000} ({spike.Cause}, 1 in {spike.Rarity:0}); quiet max {Series.Max(quiet.Skip(500)):0.000}");
        Assert.True(spike.Score >= 0.85, $"spike {spike.Score}");
        Assert.True(spike.Score > Series.Max(quiet.Skip(500)) + 0.05);
    }

    [Fact]
    public void A_constant_start_fixes_the_range_only_once_the_series_changes()
    {
        var detector = new AnomalyDetector();
        Series.Run(detector, Enumerable.Repeat(7.0, 500));
        Assert.False(detector.Range.Fixed);
        Series.Run(detector, [7.5], start: Series.Start + 500 * Series.Minute);
        Assert.True(detector.Range.Fixed);
        Assert.True(detector.Range.Low < 7 && detector.Range.High > 7.5);
    }

    [Fact]
    public void After_a_detection_only_a_more_unusual_reading_scores_in_full_until_the_hold_ends()
    {
        // Two detectors see the same readings; the free one never holds.
        var held = new AnomalyDetector();
        var free = new AnomalyDetector(new DetectorOptions { HoldMin = 0, HoldMax = 0 });
        var t = Series.Start;
        (AnomalyVerdict Held, AnomalyVerdict Free) Both(double value)
        {
            var both = (held.Observe(t, value), free.Observe(t, value));
            t += Series.Minute;
            return both;
        }

        var quiet = new Queue<double>(Series.Steady(4000, 23));
        void Quiet(int readings)
        {
            for (var i = 0; i < readings; i++)
            {
                Both(quiet.Dequeue());
            }
        }

        Quiet(3000);
        var first = Both(65);
        Assert.Equal(first.Free, first.Held);
        Assert.True(first.Held.Score >= 0.9, $"first spike {first.Held.Score}");
        // The hold lasts 5 % of the readings seen: 150 here.
        Assert.Equal(3001 + 150, held.HoldUntil);

        // 120 readings on, the episode's own damping is over: the free detector reports the same spike again, the held one does not.
        Quiet(120);
        var second = Both(65);
        output.WriteLine($"second spike: held {second.Held.Score:0.000}, free {second.Free.Score:0.000}");
        Assert.True(second.Free.Score >= held.Options.DetectionScore, $"free {second.Free.Score}");
        Assert.True(second.Held.Score < held.Options.DetectionScore, $"held {second.Held.Score}");

        // A reading more unusual than the detection scores in full, and holds again from there.
        Quiet(10);
        var third = Both(1000);
        Assert.Equal(third.Free.Score, third.Held.Score);
        Assert.True(third.Held.Score > first.Held.Score);

        // Once the hold is over, the two detectors agree again.
        Quiet(400);
        var fourth = Both(65);
        Assert.Equal(fourth.Free, fourth.Held);
    }

    [Fact]
    public void A_detector_saved_during_a_hold_resumes_it_after_a_restart()
    {
        var detector = new AnomalyDetector();
        Series.Run(detector, Series.Steady(3000, 26));
        var t = Series.Start + 3000 * Series.Minute;
        Assert.True(detector.Observe(t, 65).Score >= 0.9);
        var restored = DetectorState.Restore(DetectorState.Save(detector));
        Assert.Equal(detector.HoldUntil, restored.HoldUntil);
        Assert.Equal(detector.HoldScore, restored.HoldScore);
        Assert.Equal(DetectorState.Save(detector), DetectorState.Save(restored));
        var random = new Random(27);
        for (var i = 1; i <= 300; i++)
        {
            var value = i == 120 ? 65 : 50 + Series.Noise(random);
            Assert.Equal(detector.Observe(t + i * Series.Minute, value), restored.Observe(t + i * Series.Minute, value));
        }
    }
}
