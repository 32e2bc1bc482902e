using System.Globalization;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.Alarms;

/// <summary>
/// The engine's view of one rule on one machine. The pipeline's consumer and the engine's timer both touch it,
/// always under a lock on the instance. <see cref="Active"/> flips only once the writer has taken the transition,
/// so a full writer queue means the next reading tries again rather than a lost raise or clear.
/// </summary>
internal sealed class ConditionState(long version, long now)
{
    public long Version { get; set; } = version;

    /// <summary>The condition as last handed to the writer.</summary>
    public bool Active { get; set; }

    /// <summary>Duration rules: when (engine clock) the raw condition became true, null while it is false.</summary>
    public long? TrueSince { get; set; }

    /// <summary>Missing-data rules: when (engine clock) a value last arrived, or the rule began watching.</summary>
    public long LastSeen { get; set; } = now;

    /// <summary>Rate rules: the previous reading, by the device's timestamps.</summary>
    public bool HasPrevious { get; set; }

    public double PreviousValue { get; set; }

    public long PreviousTimestamp { get; set; }

    private TagValue? _last;
    private double? _lastRate;

    /// <summary>The last value seen, as text; formatted only when a transition needs it, which keeps readings cheap.</summary>
    public string? LastValue =>
        _lastRate is { } rate ? rate.ToString("0.###", CultureInfo.InvariantCulture) + "/min" : _last?.ToString();

    /// <summary>Evaluates a reading; returns Raise, Clear or null. Values a rule cannot use (text for a threshold) are ignored.</summary>
    public TransitionKind? Observe(CompiledRule rule, Reading reading, long now)
    {
        LastSeen = now;
        var value = reading.Value;
        _last = value;
        switch (rule.Kind)
        {
            case AlarmVocabulary.Missing:
                return Active ? TransitionKind.Clear : null;

            case AlarmVocabulary.State:
                var match = string.Equals(value.Text ?? value.ToString(), rule.StateValue, StringComparison.OrdinalIgnoreCase);
                return match == Active ? null : match ? TransitionKind.Raise : TransitionKind.Clear;
        }

        if (value.Kind == TagValueKind.Text || !double.IsFinite(value.Number))
        {
            return null;
        }

        var number = value.Number;
        return rule.Kind switch
        {
            AlarmVocabulary.Threshold => Hysteresis(rule, number),
            AlarmVocabulary.Duration => Duration(rule, number, now),
            AlarmVocabulary.Rate => Rate(rule, number, reading.Timestamp),
            _ => null,
        };
    }

    /// <summary>The timer's check: a duration that has run out, or data that stopped coming.</summary>
    public TransitionKind? Tick(CompiledRule rule, long now) => rule.Kind switch
    {
        AlarmVocabulary.Duration when !Active && TrueSince is { } since && now - since >= rule.DurationMs => TransitionKind.Raise,
        AlarmVocabulary.Missing when !Active && now - LastSeen >= rule.DurationMs => TransitionKind.Raise,
        _ => null,
    };

    // High: raise above the limit, clear only below limit - deadband; low is the mirror image. Between the two
    // the alarm keeps its state, so a value hovering at the limit does not chatter.
    private TransitionKind? Hysteresis(CompiledRule rule, double value) =>
        !Active && Beyond(rule, value) ? TransitionKind.Raise
        : Active && Back(rule, value) ? TransitionKind.Clear
        : null;

    private TransitionKind? Duration(CompiledRule rule, double value, long now)
    {
        if (Active)
        {
            return Back(rule, value) ? TransitionKind.Clear : null;
        }

        if (!Beyond(rule, value))
        {
            TrueSince = null;
            return null;
        }

        TrueSince ??= now;
        return now - TrueSince.Value >= rule.DurationMs ? TransitionKind.Raise : null;
    }

    private TransitionKind? Rate(CompiledRule rule, double value, long timestamp)
    {
        if (HasPrevious && timestamp <= PreviousTimestamp)
        {
            return null; // out of order: a rate needs time to move forward
        }

        var had = HasPrevious;
        var perMinute = had ? (value - PreviousValue) / ((timestamp - PreviousTimestamp) / 60_000.0) : 0;
        HasPrevious = true;
        PreviousValue = value;
        PreviousTimestamp = timestamp;
        if (!had)
        {
            return null;
        }

        var speed = rule.Direction switch
        {
            "high" => perMinute,
            "low" => -perMinute,
            _ => Math.Abs(perMinute),
        };
        _lastRate = perMinute;
        return !Active && speed > rule.Limit ? TransitionKind.Raise
            : Active && speed < rule.Limit - rule.Deadband ? TransitionKind.Clear
            : null;
    }

    private static bool Beyond(CompiledRule rule, double value) => rule.Direction == "low" ? value < rule.Limit : value > rule.Limit;

    private static bool Back(CompiledRule rule, double value) =>
        rule.Direction == "low" ? value > rule.Limit + rule.Deadband : value < rule.Limit - rule.Deadband;

    /// <summary>Forgets everything but the active flag, when the rule's parameters change.</summary>
    public void Reset(long version, long now)
    {
        Version = version;
        TrueSince = null;
        HasPrevious = false;
        LastSeen = now;
    }
}
