using Millwright.Features.Anomalies;
using Millwright.Learning;

namespace Millwright.Tests.Anomalies;

public sealed class AnomalyJudgeTests
{
    [Fact]
    public void A_false_mark_lowers_the_score_of_the_same_deviation_and_two_silence_it()
    {
        const double raw = 0.97;
        var once = AnomalyJudge.AfterFeedback(0, raw, falseAlarm: true);
        var twice = AnomalyJudge.AfterFeedback(once, raw, falseAlarm: true);
        Assert.True(AnomalyJudge.Adjust(raw, once) < raw);
        Assert.True(AnomalyJudge.Adjust(raw, once) < AnomalyJudge.RaiseAt(AnomalyVocabulary.High) || AnomalyJudge.Adjust(raw, twice) == 0);
        Assert.Equal(0, AnomalyJudge.Adjust(raw, twice), 9);
    }

    [Fact]
    public void A_true_mark_halves_a_discount_and_otherwise_makes_the_series_more_sensitive()
    {
        Assert.Equal(2, AnomalyJudge.AfterFeedback(4, 0.9, falseAlarm: false));
        var sharper = AnomalyJudge.AfterFeedback(0, 0.9, falseAlarm: false);
        Assert.True(sharper < 0);
        Assert.True(AnomalyJudge.Adjust(0.9, sharper) > 0.9);
        Assert.True(AnomalyJudge.AfterFeedback(AnomalyJudge.MinDiscount, 0.9, falseAlarm: false) >= AnomalyJudge.MinDiscount);
    }

    [Fact]
    public void Higher_sensitivity_raises_on_less_unusual_readings()
    {
        Assert.True(AnomalyJudge.RaiseAt(AnomalyVocabulary.High) < AnomalyJudge.RaiseAt(AnomalyVocabulary.Medium));
        Assert.True(AnomalyJudge.RaiseAt(AnomalyVocabulary.Medium) < AnomalyJudge.RaiseAt(AnomalyVocabulary.Low));
        // The detector's score for "1 in 20,000" is the medium threshold.
        Assert.Equal(AnomalyJudge.RaiseAt(AnomalyVocabulary.Medium), AnomalyJudge.Score(Math.Log(20_000)), 12);
    }

    [Fact]
    public void The_explanation_names_tag_value_range_rarity_and_start()
    {
        var verdict = new AnomalyVerdict(0.99, AnomalyCause.Jump, 123_456, 0.85, 1.15, 0, ReadingStatus.Learned);
        var text = AnomalyExplanation.Text("vibration", "idle", 10, verdict, verdict.Rarity, 1_767_247_200_000);
        Assert.Equal("vibration = 10 while idle: expected 0.85 to 1.15; a sudden jump from the recent level; a reading this unusual comes 1 in 120,000; since 2026-01-01 06:00:00 UTC", text);
        Assert.Equal("more than 1,000,000,000,000", AnomalyExplanation.OneIn(double.PositiveInfinity));
        Assert.Equal("1", AnomalyExplanation.OneIn(0.5));
    }
}
