using Millwright.Features.Alarms;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Tests.Alarms;

/// <summary>The evaluation of one rule on one machine, alone: hysteresis edges, durations, rates and odd values.</summary>
public sealed class ConditionStateTests
{
    private const long T = 1_000_000;

    [Fact]
    public void A_high_threshold_holds_its_state_inside_the_deadband_and_at_the_limit_itself()
    {
        var rule = Rule(AlarmVocabulary.Threshold, "high", limit: 80, deadband: 5);
        var state = new ConditionState(rule.Version, T);

        Assert.Null(Feed(state, rule, 80)); // at the limit: not above it
        Assert.Equal(TransitionKind.Raise, Apply(state, Feed(state, rule, 80.001)));
        Assert.Null(Feed(state, rule, 75)); // at limit - deadband: not below it
        Assert.Null(Feed(state, rule, 95));
        Assert.Equal(TransitionKind.Clear, Apply(state, Feed(state, rule, 74.9)));
        Assert.Null(Feed(state, rule, 79));
    }

    [Fact]
    public void Text_infinities_and_not_a_number_never_move_a_numeric_rule()
    {
        var rule = Rule(AlarmVocabulary.Threshold, "low", limit: 10, deadband: 0);
        var state = new ConditionState(rule.Version, T);

        Assert.Null(state.Observe(rule, new Reading("t", T, TagValue.Of("low!")), T));
        Assert.Null(Feed(state, rule, double.NaN));
        Assert.Null(Feed(state, rule, double.NegativeInfinity));
        Assert.Equal(TransitionKind.Raise, Feed(state, rule, 9));
    }

    [Fact]
    public void A_boolean_counts_as_one_or_zero()
    {
        var rule = Rule(AlarmVocabulary.Threshold, "high", limit: 0.5, deadband: 0);
        var state = new ConditionState(rule.Version, T);

        Assert.Equal(TransitionKind.Raise, Apply(state, state.Observe(rule, new Reading("t", T, TagValue.Of(true)), T)));
        Assert.Equal(TransitionKind.Clear, state.Observe(rule, new Reading("t", T, TagValue.Of(false)), T));
    }

    [Fact]
    public void A_duration_raises_from_a_tick_once_the_condition_has_held_long_enough()
    {
        var rule = Rule(AlarmVocabulary.Duration, "high", limit: 100, deadband: 0, durationSeconds: 10);
        var state = new ConditionState(rule.Version, T);

        Assert.Null(state.Observe(rule, new Reading("t", T, TagValue.Of(150)), T));
        Assert.Null(state.Tick(rule, T + 9_999));
        Assert.Equal(TransitionKind.Raise, state.Tick(rule, T + 10_000));
    }

    [Fact]
    public void Missing_data_counts_from_the_last_value_and_a_value_clears_it()
    {
        var rule = Rule(AlarmVocabulary.Missing, null, limit: 0, deadband: 0, durationSeconds: 60);
        var state = new ConditionState(rule.Version, T);

        Assert.Null(state.Tick(rule, T + 59_999));
        state.Observe(rule, new Reading("t", T, TagValue.Of("anything")), T + 30_000);
        Assert.Null(state.Tick(rule, T + 60_000));
        Assert.Equal(TransitionKind.Raise, Apply(state, state.Tick(rule, T + 90_000)));
        Assert.Null(state.Tick(rule, T + 200_000)); // already raised
        Assert.Equal(TransitionKind.Clear, state.Observe(rule, new Reading("t", T, TagValue.Of(1)), T + 200_001));
    }

    [Fact]
    public void A_rate_without_direction_raises_on_a_fall_as_well_as_a_rise()
    {
        var rule = Rule(AlarmVocabulary.Rate, null, limit: 10, deadband: 0);
        var state = new ConditionState(rule.Version, T);

        Assert.Null(state.Observe(rule, new Reading("t", 0, TagValue.Of(100)), T));
        Assert.Null(state.Observe(rule, new Reading("t", 0, TagValue.Of(50)), T)); // same timestamp: no rate
        Assert.Equal(TransitionKind.Raise, state.Observe(rule, new Reading("t", 30_000, TagValue.Of(90)), T)); // -20 per minute
        Assert.Equal("-20/min", state.LastValue);
    }

    private static TransitionKind? Feed(ConditionState state, CompiledRule rule, double value) =>
        state.Observe(rule, new Reading("t", T, TagValue.Of(value)), T);

    /// <summary>What the engine does when the writer takes a transition.</summary>
    private static TransitionKind? Apply(ConditionState state, TransitionKind? transition)
    {
        if (transition is { } kind)
        {
            state.Active = kind == TransitionKind.Raise;
        }

        return transition;
    }

    private static CompiledRule Rule(string kind, string? direction, double limit, double deadband, int durationSeconds = 0) =>
        new(1, 1, "r", "t", kind, direction, limit, deadband, durationSeconds * 1000L, null, "low", MessageTemplate.Parse("m"), 1);
}
