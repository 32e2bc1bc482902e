namespace Millwright.Learning.Tests.Nab;

public sealed class NabScorerTests
{
    // 1000 rows: probation is the first 150; one window over rows 500..599 (W = 100).
    private static NabFile File(params (int Row, double Score)[] detections)
    {
        var scores = new double[1000];
        foreach (var (row, score) in detections)
        {
            scores[row] = score;
        }

        return new NabFile("f", scores, [(500, 599)]);
    }

    [Fact]
    public void A_detection_at_the_first_row_of_a_window_earns_the_full_reward()
    {
        var (raw, detected, falsePositives) = NabScorer.Raw([File((500, 1))], 0.5, NabProfile.Standard);
        Assert.Equal(1, raw, 9);
        Assert.Equal(1, detected);
        Assert.Equal(0, falsePositives);
    }

    [Fact]
    public void A_later_detection_earns_less_and_one_at_the_last_row_almost_nothing()
    {
        var middle = NabScorer.Raw([File((550, 1))], 0.5, NabProfile.Standard).Raw;
        var last = NabScorer.Raw([File((599, 1))], 0.5, NabProfile.Standard).Raw;
        // p = -(599 - 550 + 1)/100 = -0.5: σ(-0.5)/σ(-1).
        Assert.Equal(NabScorer.Sigma(-0.5) / NabScorer.Sigma(-1), middle, 9);
        Assert.Equal(NabScorer.Sigma(-0.01) / NabScorer.Sigma(-1), last, 9);
        Assert.True(last is > 0 and < 0.03);
    }

    [Fact]
    public void Only_the_earliest_detection_in_a_window_counts()
    {
        var one = NabScorer.Raw([File((520, 1))], 0.5, NabProfile.Standard).Raw;
        var many = NabScorer.Raw([File((520, 1), (530, 1), (590, 1))], 0.5, NabProfile.Standard).Raw;
        Assert.Equal(one, many, 12);
    }

    [Fact]
    public void A_missed_window_costs_the_profiles_false_negative_weight()
    {
        Assert.Equal(-1, NabScorer.Raw([File()], 0.5, NabProfile.Standard).Raw, 12);
        Assert.Equal(-2, NabScorer.Raw([File()], 0.5, NabProfile.LowFalseNegatives).Raw, 12);
    }

    [Fact]
    public void A_false_positive_before_any_window_costs_the_full_weight_and_one_just_after_a_window_less()
    {
        var before = NabScorer.Raw([File((400, 1))], 0.5, NabProfile.Standard).Raw + 1;
        var justAfter = NabScorer.Raw([File((610, 1))], 0.5, NabProfile.Standard).Raw + 1;
        var farAfter = NabScorer.Raw([File((950, 1))], 0.5, NabProfile.Standard).Raw + 1;
        Assert.Equal(-0.11, before, 12);
        // y = (610 - 599) / (100 - 1) = 1/9.
        Assert.Equal(0.11 * NabScorer.Sigma(11.0 / 99), justAfter, 12);
        Assert.True(justAfter > -0.11 && justAfter < 0);
        Assert.Equal(-0.11, farAfter, 12);
        Assert.Equal(-0.22, NabScorer.Raw([File((400, 1))], 0.5, NabProfile.LowFalsePositives).Raw + 1, 12);
    }

    [Fact]
    public void Rows_in_the_probationary_period_are_not_scored()
    {
        var result = NabScorer.Raw([File((10, 1), (149, 1))], 0.5, NabProfile.Standard);
        Assert.Equal(0, result.FalsePositives);
        Assert.Equal(150, File().Probation);
        Assert.Equal(750, new NabFile("long", new double[10_000], []).Probation);
    }

    [Fact]
    public void The_null_detector_normalizes_to_zero_and_the_perfect_one_to_one_hundred()
    {
        Assert.Equal(0, NabScorer.Best([File(), File()], NabProfile.Standard).Normalized, 9);
        var perfect = NabScorer.Best([File((500, 1)), File((500, 1))], NabProfile.Standard);
        Assert.Equal(100, perfect.Normalized, 9);
        Assert.Equal(2, perfect.Detected);
    }

    [Fact]
    public void One_threshold_for_the_whole_corpus_is_chosen_to_maximize_the_raw_score()
    {
        // File a: window found at 0.9 only; file b: window found at 0.6 but with ten false positives at 0.7.
        var a = File((500, 0.9));
        var b = File((500, 0.6), (200, 0.7), (201, 0.7), (202, 0.7), (203, 0.7), (204, 0.7), (205, 0.7), (206, 0.7),
            (207, 0.7), (208, 0.7), (209, 0.7));
        var best = NabScorer.Best([a, b], NabProfile.Standard);
        // At 0.6: 2 - 1.1 = 0.9; at 0.9: 1 - 1 = 0; at 0.7: 1 - 1.1 - 1 < 0.
        Assert.Equal(0.6, best.Threshold);
        Assert.Equal(0.9, best.Raw, 9);
        Assert.Equal(100 * (0.9 + 2) / 4, best.Normalized, 9);
        // The low-FP profile doubles their cost: finding b's window no longer pays for them.
        Assert.Equal(0.9, NabScorer.Best([a, b], NabProfile.LowFalsePositives).Threshold);
    }
}
