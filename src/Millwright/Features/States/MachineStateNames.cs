namespace Millwright.Features.States;

/// <summary>The states a machine can be in; the stored and wire names.</summary>
internal static class MachineStateNames
{
    public const string Running = "running";
    public const string Idle = "idle";
    public const string Setup = "setup";
    public const string Down = "down";
    public const string Offline = "offline";
    public const string PlannedStop = "planned_stop";

    public static readonly IReadOnlyList<string> All = [Running, Idle, Setup, Down, Offline, PlannedStop];

    /// <summary>States a rule may yield; offline and planned stops are decided by the clock and the calendar.</summary>
    public static readonly IReadOnlyList<string> FromRules = [Running, Idle, Setup, Down];
}
