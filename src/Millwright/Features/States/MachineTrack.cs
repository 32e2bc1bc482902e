using Millwright.Features.Calendars;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.States;

/// <summary>
/// What the tracker knows of one machine: its rules and calendar, its own copy of the latest tag values, the
/// open state interval, the last counter readings and the production counts not yet written. Owned by the
/// tracker's gate; never touched outside it.
/// </summary>
internal sealed class MachineTrack(long tenantId, long machineId)
{
    public long TenantId { get; } = tenantId;

    public long MachineId { get; } = machineId;

    public required CompiledRules Rules { get; set; }

    public required SiteCalendar Calendar { get; set; }

    /// <summary>When the rules and calendar were read (Unix ms); long.MinValue when a change asks for a reread.</summary>
    public long ConfigLoadedAt { get; set; }

    /// <summary>
    /// Whether the configuration is older than <paramref name="lifetime"/> at <paramref name="now"/>, without the
    /// overflow of now − long.MinValue (a negative age: an invalidated track looked fresh for ever).
    /// </summary>
    public bool ConfigDue(long now, TimeSpan lifetime) => ConfigLoadedAt <= now - (long)lifetime.TotalMilliseconds;

    public Dictionary<string, (long Timestamp, TagValue Value)> Values { get; } = new(StringComparer.Ordinal);

    public string? State { get; set; }

    public long StateStart { get; set; }

    public string? Reason { get; set; }

    public long IntervalId { get; set; }

    public long LastSeen { get; set; }

    public double? LastParts { get; set; }

    public double? LastScrap { get; set; }

    public double? LastEnergy { get; set; }

    /// <summary>
    /// What the store held for the machine when a single node started: a counter's first reading after a restart
    /// counts from its last stored reading, so parts made while the platform was down are not lost.
    /// </summary>
    public IReadOnlyDictionary<string, Reading>? Baseline { get; set; }

    /// <summary>Counter increases per (minute, program) not yet added to production_counts.</summary>
    public Dictionary<(long Bucket, string Program), (double Produced, double Scrap, double Energy)> Pending { get; } = [];

    /// <summary>
    /// Adds the counter increases of <paramref name="readings"/> to the pending counts of <paramref name="bucket"/> and the
    /// current program; returns the parts and scrap counted.
    /// </summary>
    public (double Parts, double Scrap) Count(IReadOnlyList<Reading> readings, IReadOnlyDictionary<string, TagValue> values, long bucket)
    {
        var set = Rules.Set;
        double produced = 0, scrap = 0, energy = 0;
        foreach (var reading in readings)
        {
            if (reading.Value.Kind != TagValueKind.Number)
            {
                continue;
            }

            var value = reading.Value.Number;
            if (IsBeforeBaseline(reading))
            {
                // Sent again, or late, from before the restart: counted then already.
                continue;
            }

            if (reading.Tag == set.PartCounter)
            {
                produced += Increase(LastParts ?? Stored(reading), value);
                LastParts = value;
            }
            else if (reading.Tag == set.ScrapCounter)
            {
                scrap += Increase(LastScrap ?? Stored(reading), value);
                LastScrap = value;
            }
            else if (reading.Tag == set.EnergyCounter)
            {
                energy += Increase(LastEnergy ?? Stored(reading), value);
                LastEnergy = value;
            }
        }

        if (produced == 0 && scrap == 0 && energy == 0)
        {
            return (0, 0);
        }

        var program = set.ProgramTag is { } tag && values.TryGetValue(tag, out var p) ? p.ToString() : "";
        var sum = Pending.GetValueOrDefault((bucket, program));
        Pending[(bucket, program)] = (sum.Produced + produced, sum.Scrap + scrap, sum.Energy + energy);
        return (produced, scrap);
    }

    /// <summary>
    /// How long a stored reading stays a counter's baseline: a counter silent for longer (a machine away for weeks, a
    /// PLC replaced) starts from its first new reading, rather than turning a month's difference into one minute's parts.
    /// </summary>
    public static readonly TimeSpan BaselineAge = TimeSpan.FromHours(12);

    /// <summary>The counter's stored reading from before a restart, if it is older than <paramref name="reading"/> and recent enough.</summary>
    private double? Stored(Reading reading) =>
        Baseline is { } stored && stored.TryGetValue(reading.Tag, out var before) && before.Timestamp < reading.Timestamp
        && reading.Timestamp - before.Timestamp <= BaselineAge.TotalMilliseconds && before.Value.Kind == TagValueKind.Number
            ? before.Value.Number
            : null;

    private bool IsBeforeBaseline(Reading reading) =>
        Baseline is { } stored && stored.TryGetValue(reading.Tag, out var before) && reading.Timestamp <= before.Timestamp;

    /// <summary>
    /// The state change the calendar alone calls for at <paramref name="now"/>, without a new message: a
    /// planned stop that began while the machine was not running, or the end of the stop it is in (then the
    /// rules decide again on the values held). Placed at the stop's boundary, not at the time of the check.
    /// </summary>
    public (string State, long At, string? Reason, string? Source)? CalendarTransition(long now)
    {
        if (State is null or MachineStateNames.Offline or MachineStateNames.Running)
        {
            return null;
        }

        var stop = Calendar.PlannedStopAt(MachineId, now);
        if (State == MachineStateNames.PlannedStop && stop is null)
        {
            var ended = Calendar.PlannedStopAt(MachineId, StateStart)?.To.ToUnixTimeMilliseconds() ?? now;
            var values = Latest;
            var state = Rules.Evaluate(values);
            return state == MachineStateNames.Down && Rules.AlarmReason(values) is { } alarm
                ? (state, Math.Max(ended, StateStart), alarm, "alarm")
                : (state, Math.Max(ended, StateStart), null, null);
        }

        return State != MachineStateNames.PlannedStop && stop is not null
            ? (MachineStateNames.PlannedStop, Math.Max(stop.From.ToUnixTimeMilliseconds(), StateStart), stop.Reason ?? "planned stop", "calendar")
            : null;
    }

    /// <summary>The in-memory view of the machine (an operator's reason is set by ReasonChanged, not here).</summary>
    public CurrentState ToCurrent() => new(MachineId, State ?? MachineStateNames.Offline, DateTimeOffset.FromUnixTimeMilliseconds(StateStart), Reason, IntervalId,
        DateTimeOffset.FromUnixTimeMilliseconds(LastSeen));

    /// <summary>
    /// The latest values as the rules read them: a view of <see cref="Values"/>, not a copy (a copy per message of a
    /// machine with hundreds of tags was the tracker's largest allocation). Read it before the values change again.
    /// </summary>
    public IReadOnlyDictionary<string, TagValue> Latest => _view ??= new LatestView(Values);

    private LatestView? _view;

    /// <summary>
    /// A counter's increase since its last reading. A lower value means the counter was reset (power cycle,
    /// new shift, overflow), so everything it shows was counted since the reset.
    /// </summary>
    public static double Increase(double? previous, double current) =>
        previous is not { } p || double.IsNaN(current) || double.IsNaN(p) ? 0
        : current >= p ? current - p
        : Math.Max(0, current);
}
