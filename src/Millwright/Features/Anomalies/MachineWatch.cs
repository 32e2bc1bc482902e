namespace Millwright.Features.Anomalies;

/// <summary>
/// One machine as the anomaly watcher holds it: its type's settings (reread every so often) and its series. The
/// watcher's loop and the API (status, feedback) meet here, so both take this object's lock for in-memory work.
/// </summary>
internal sealed class MachineWatch(long tenantId, long machineId)
{
    public long TenantId { get; } = tenantId;

    public long MachineId { get; } = machineId;

    public IReadOnlyDictionary<string, WatchedTag> Watched { get; set; } = new Dictionary<string, WatchedTag>();

    public string Severity { get; set; } = AnomalySettings.DefaultSeverity;

    public Dictionary<string, SeriesWatch> Series { get; } = new(StringComparer.Ordinal);

    /// <summary>The tag the type's state rules name as the program (a CNC's or printer's), or null.</summary>
    public string? ProgramTag { get; set; }

    /// <summary>
    /// The program last reported in <see cref="ProgramTag"/> (<see cref="AnomalyVocabulary.ProgramName"/>); null while
    /// the machine reports none. Written by the watcher's loop only.
    /// </summary>
    public string? Program { get; set; }

    /// <summary>Whether <see cref="Program"/> was looked up in the latest values since start (once per machine, not per message).</summary>
    public bool ProgramKnown { get; set; }

    /// <summary>When the machine's latest set-up began (Unix ms), or null: the baseline of a machine without a program tag.</summary>
    public long? LastSetUp { get; set; }

    // The last context name and what it was made of: most messages repeat it, and the loop formats none for them.
    private (string State, string? Program, long? SetUp, string Name) _context = ("", null, null, "");

    /// <summary>The context of a reading in <paramref name="state"/> (<see cref="AnomalyVocabulary.WithProgram"/>). Called by the watcher's loop only.</summary>
    public string ContextOf(string state, string? program, long? setUp)
    {
        if (_context.State != state || _context.Program != program || _context.SetUp != setUp)
        {
            _context = (state, program, setUp, AnomalyVocabulary.WithProgram(state, program, setUp));
        }

        return _context.Name;
    }

    /// <summary>
    /// Cluster mode: the lease token this node held the machine under when it read the machine's learned state from the
    /// store; its anomalies, alarms and saves are fenced by it. Null on a single node.
    /// </summary>
    public long? Token { get; init; }

    /// <summary>When the settings were read (Unix ms); long.MinValue when never, or when a change asks for a reread.</summary>
    public long ConfigLoadedAt { get; set; } = long.MinValue;

    /// <summary>
    /// Whether the settings are older than <paramref name="lifetime"/> at <paramref name="now"/>. Written so that it
    /// cannot overflow: now − long.MinValue wrapped to a negative age, so a machine whose settings were invalidated
    /// looked fresh for ever and never took the change.
    /// </summary>
    public bool ConfigDue(long now, TimeSpan lifetime) => ConfigLoadedAt <= now - (long)lifetime.TotalMilliseconds;
}
