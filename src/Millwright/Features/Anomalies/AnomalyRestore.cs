using Millwright.Api;
using Millwright.Features.States;
using Millwright.Learning;

namespace Millwright.Features.Anomalies;

/// <summary>Reads a machine's settings and, on its first message since start, what its detectors learned before.</summary>
internal static class AnomalyRestore
{
    /// <summary>
    /// What the watcher reads of a machine. ProgramTag: the tag its type's state rules name as the program (null when
    /// none); LastSetUp: when its latest set-up began (Unix ms), read only on first sight, null when it never had one.
    /// </summary>
    public sealed record Loaded(
        AnomalySettingsDto Settings, string? ProgramTag, IReadOnlyList<AnomalyStore.SeriesRow> Series, IReadOnlyList<AnomalyStore.DetectorRow> Detectors,
        IReadOnlyList<long> OpenRules, long? LastSetUp = null);

    /// <summary>A machine's anomaly settings and its type's program tag.</summary>
    public sealed record Settings(AnomalySettingsDto Anomaly, string? ProgramTag);

    /// <summary>Null when the machine is gone; series, detectors and open alarms only when <paramref name="fresh"/>.</summary>
    public static async Task<Loaded?> LoadAsync(Session s, long machineId, bool fresh)
    {
        if (await AnomalySettings.ForMachineAsync(s, machineId) is not { } config)
        {
            return null;
        }

        var settings = new Settings(config.Settings, await ProgramTagAsync(s, config.TypeId));
        return fresh ? await LearnedAsync(s, machineId, settings) : new Loaded(settings.Anomaly, settings.ProgramTag, [], [], []);
    }

    /// <summary>What a machine's detectors learned before, for its first message since start, with its settings.</summary>
    public static async Task<Loaded> LearnedAsync(Session s, long machineId, Settings settings)
    {
        var open = await s.QueryAsync<long>(
            "SELECT rule_id FROM alarms WHERE tenant_id = @Tenant AND machine_id = @machineId AND rule_id < 0 AND state <> 'closed' AND condition_active = TRUE",
            new { s.Tenant, machineId });
        // The latest set-up picks the baseline of a machine without a program tag (a new mould), also after a restart.
        var setUp = await s.QueryOneAsync<long?>(
            "SELECT MAX(start_at) FROM machine_states WHERE tenant_id = @Tenant AND machine_id = @machineId AND state = @setup",
            new { s.Tenant, machineId, setup = MachineStateNames.Setup });
        return new Loaded(settings.Anomaly, settings.ProgramTag, await AnomalyStore.SeriesAsync(s, machineId), await AnomalyStore.DetectorsAsync(s, machineId), open, setUp);
    }

    /// <summary>
    /// The settings of many machines: their types in one query and each type's settings once, since a fleet's
    /// hundred machines of a chunk are mostly of one type. A machine that is gone is missing from the answer.
    /// </summary>
    public static async Task<Dictionary<long, Settings>> SettingsOfAsync(Session s, IReadOnlyCollection<long> machineIds)
    {
        var settings = new Dictionary<long, Settings>(machineIds.Count);
        if (machineIds.Count == 0)
        {
            return settings;
        }

        // One parameter per id: Dapper would send a list to PostgreSQL as one array, which IN does not take.
        var parameters = new Dapper.DynamicParameters(new { s.Tenant });
        var names = machineIds.Select((id, i) =>
        {
            parameters.Add($"m{i}", id);
            return $"@m{i}";
        }).ToList();
        var types = await s.QueryAsync<(long Machine, long Type)>(
            $"SELECT id, type_id FROM machines WHERE tenant_id = @Tenant AND id IN ({string.Join(", ", names)})", parameters);
        var byType = new Dictionary<long, Settings>();
        foreach (var (machine, type) in types)
        {
            if (!byType.TryGetValue(type, out var typed))
            {
                byType[type] = typed = new Settings(await AnomalySettings.GetAsync(s, type), await ProgramTagAsync(s, type));
            }

            settings[machine] = typed;
        }

        return settings;
    }

    /// <summary>The tag the type's state rules name as the running program, if any.</summary>
    private static async Task<string?> ProgramTagAsync(Session s, long typeId)
    {
        var document = await s.QueryOneAsync<string>("SELECT document FROM state_rules WHERE tenant_id = @Tenant AND type_id = @typeId", new { s.Tenant, typeId });
        return document is null ? null : StateRules.Parse(document).ProgramTag;
    }

    /// <summary>Called under the machine's lock.</summary>
    public static void Apply(MachineWatch machine, Loaded loaded, long now, ILogger logger)
    {
        machine.Watched = loaded.Settings.Watched.ToDictionary(w => w.Tag, StringComparer.Ordinal);
        machine.Severity = loaded.Settings.Severity;
        if (machine.ProgramTag != loaded.ProgramTag)
        {
            // Another program tag: what the old one said no longer names the program.
            (machine.ProgramTag, machine.Program, machine.ProgramKnown) = (loaded.ProgramTag, null, false);
        }

        machine.ConfigLoadedAt = now;
        if (loaded.LastSetUp is { } setUp && setUp > (machine.LastSetUp ?? long.MinValue))
        {
            machine.LastSetUp = setUp;
        }

        foreach (var row in loaded.Series)
        {
            var series = new SeriesWatch(row.Id, row.Tag) { AlarmOpen = loaded.OpenRules.Contains(-row.Id) };
            row.Discounts.CopyTo(series.Discounts, 0);
            // Beyond the cap (a lowered one) the least recently saved are left out and deleted at the next save. The kept
            // ones go in oldest first: restored contexts have no LastAt yet, so eviction takes them in insertion order.
            var saves = loaded.Detectors.Where(d => d.SeriesId == row.Id).OrderByDescending(d => d.SavedAt).ToList();
            foreach (var dropped in saves.Skip(SeriesWatch.MaxContexts))
            {
                series.Evicted.Add(dropped.Context);
            }

            foreach (var saved in saves.Take(SeriesWatch.MaxContexts).Reverse())
            {
                try
                {
                    series.Contexts[saved.Context] = new ContextDetector(DetectorState.Restore(saved.State));
                }
                catch (FormatException e)
                {
                    // A state written by another detector version: this context learns again from scratch.
                    logger.LogWarning(e, "Anomaly detector of machine {Machine} tag {Tag} ({Context}) could not be restored", machine.MachineId, row.Tag, saved.Context);
                }
            }

            machine.Series[row.Tag] = series;
        }
    }
}
