namespace Millwright.Features.Alarms;

/// <summary>The closed word lists of the alarm API, as stored and as sent on the wire.</summary>
internal static class AlarmVocabulary
{
    public const string Threshold = "threshold";
    public const string Duration = "duration";
    public const string Rate = "rate";
    public const string Missing = "missing";
    public const string State = "state";

    /// <summary>The tag a state rule reads by default: the lead wires the state engine's current state into it.</summary>
    public const string StateTag = "state";

    public static readonly string[] Kinds = [Threshold, Duration, Rate, Missing, State];

    public static readonly string[] Directions = ["high", "low"];

    /// <summary>Ordered from least to most severe.</summary>
    public static readonly string[] Severities = ["low", "medium", "high", "critical"];

    // ISA-18.2 states: active (condition present, unacknowledged), acknowledged (present, acknowledged),
    // rtn_unack (returned to normal, still unacknowledged), shelved (suppressed by an operator), closed (history).
    public const string Active = "active";
    public const string Acknowledged = "acknowledged";
    public const string ReturnedUnacknowledged = "rtn_unack";
    public const string Shelved = "shelved";
    public const string Closed = "closed";

    public static readonly string[] States = [Active, Acknowledged, ReturnedUnacknowledged, Shelved, Closed];

    /// <summary>Longest shelving an operator may ask for: a week, so that nothing is forgotten on a shelf.</summary>
    public const int MaxShelveMinutes = 7 * 24 * 60;

    public const int MaxDurationSeconds = 86_400;

    public const int CommentMax = 500;
}
