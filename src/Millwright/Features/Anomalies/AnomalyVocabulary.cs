using Millwright.Features.States;
using Millwright.Learning;
using Millwright.Messages;

namespace Millwright.Features.Anomalies;

/// <summary>The closed word lists of anomaly detection, as stored and as sent on the wire.</summary>
internal static class AnomalyVocabulary
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";

    public static readonly string[] Sensitivities = [Low, Medium, High];

    // Contexts: which baseline a reading is judged against, chosen by the machine's state.
    public const string Running = "running";
    public const string Idle = "idle";
    public const string Any = "any";

    /// <summary>Programs longer than this are clipped in a context's name (state rules allow programs of 1-64 characters).</summary>
    public const int MaxProgram = 64;

    /// <summary>
    /// The program a program tag's value names, clipped to <see cref="MaxProgram"/>; null for none: an empty text, a
    /// number 0 (a PLC's program register before a program is loaded; Fanuc numbers start at O0001), a boolean or a
    /// number that is not finite. A machine with none keeps the plain state's baseline.
    /// </summary>
    public static string? ProgramName(TagValue value)
    {
        var name = value.Kind switch
        {
            TagValueKind.Text when !string.IsNullOrWhiteSpace(value.Text) => value.Text,
            TagValueKind.Number when double.IsFinite(value.Number) && value.Number != 0 => value.ToString(),
            _ => null,
        };
        return name is { Length: > MaxProgram } ? name[..MaxProgram] : name;
    }

    /// <summary>
    /// The baseline of a state while a machine runs <paramref name="program"/>, or follows the set-up that began at
    /// <paramref name="setUpAt"/> when it reports no program (a moulding machine's new mould): a set-point that comes
    /// with a new program or tool is learned as that program's normal, not judged against the last one's. A machine with
    /// neither keeps the plain state.
    /// </summary>
    public static string WithProgram(string state, string? program, long? setUpAt) =>
        program is { Length: > 0 } ? $"{state} program {program}"
        : setUpAt is { } at ? $"{state} after set-up {DateTimeOffset.FromUnixTimeMilliseconds(at).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} UTC"
        : state;

    public const string FalseMark = "false";
    public const string TrueMark = "true";

    public static readonly string[] Marks = [FalseMark, TrueMark];

    /// <summary>Tags a type may watch at most: each costs a detector per context per machine.</summary>
    public const int MaxWatched = 50;

    /// <summary>
    /// How unusual a reading must be to raise an alarm, as "1 in N" readings: high sensitivity raises on rarer
    /// readings than low. A series at 1 Hz sees 86,400 readings a day.
    /// </summary>
    public static double Rarity(string sensitivity) => sensitivity switch
    {
        Low => 100_000,
        High => 5_000,
        _ => 20_000,
    };

    /// <summary>
    /// The baseline a machine state selects, or null when readings in it are not judged at all: set-up and planned
    /// stops (suppressed by design), breakdowns and silence (the machine is already known to be in trouble, and what
    /// it reports then must not become anyone's idea of normal). A machine the tracker knows nothing of is judged
    /// against one baseline for every state.
    /// </summary>
    public static string? ContextOf(string? state) => state switch
    {
        null => Any,
        MachineStateNames.Running => Running,
        MachineStateNames.Idle => Idle,
        _ => null,
    };

    /// <summary>
    /// States in which anomalies are suppressed because the machine is being changed or is stopped on purpose: an
    /// anomaly alarm still open when one begins returns to normal (down and offline keep it: a breakdown may be what it
    /// warned of).
    /// </summary>
    public static bool Suppresses(string? state) => state is MachineStateNames.Setup or MachineStateNames.PlannedStop;

    public static string Name(AnomalyCause cause) => cause.ToString().ToLowerInvariant();

    /// <summary>What a person reads for each view of the detector.</summary>
    public static string Describe(AnomalyCause cause) => cause switch
    {
        AnomalyCause.Jump => "a sudden jump from the recent level",
        AnomalyCause.Level => "far from its long-run level (a drift or a lasting shift)",
        AnomalyCause.Pattern => "unlike this time of day on earlier days",
        AnomalyCause.Variance => "the noise level changed",
        AnomalyCause.Sustained => "a run of unusual readings",
        _ => "unusual",
    };
}
