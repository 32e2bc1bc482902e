using Millwright.Api;
using Millwright.Learning;

namespace Millwright.Features.Anomalies;

/// <summary>Reads a machine's settings and, on its first message since start, what its detectors learned before.</summary>
internal static class AnomalyRestore
{
    public sealed record Loaded(
        AnomalySettingsDto Settings, IReadOnlyList<AnomalyStore.SeriesRow> Series, IReadOnlyList<AnomalyStore.DetectorRow> Detectors, IReadOnlyList<long> OpenRules);

    /// <summary>Null when the machine is gone; series, detectors and open alarms only when <paramref name="fresh"/>.</summary>
    public static async Task<Loaded?> LoadAsync(Session s, long machineId, bool fresh)
    {
        if (await AnomalySettings.ForMachineAsync(s, machineId) is not { } config)
        {
            return null;
        }

        return fresh ? await LearnedAsync(s, machineId, config.Settings) : new Loaded(config.Settings, [], [], []);
    }

    /// <summary>What a machine's detectors learned before, for its first message since start, with its settings.</summary>
    public static async Task<Loaded> LearnedAsync(Session s, long machineId, AnomalySettingsDto settings)
    {
        var open = await s.QueryAsync<long>(
            "SELECT rule_id FROM alarms WHERE tenant_id = @Tenant AND machine_id = @machineId AND rule_id < 0 AND state <> 'closed' AND condition_active = TRUE",
            new { s.Tenant, machineId });
        return new Loaded(settings, await AnomalyStore.SeriesAsync(s, machineId), await AnomalyStore.DetectorsAsync(s, machineId), open);
    }

    /// <summary>
    /// The settings of many machines: their types in one query and each type's settings once, since a fleet's
    /// hundred machines of a chunk are mostly of one type. A machine that is gone is missing from the answer.
    /// </summary>
    public static async Task<Dictionary<long, AnomalySettingsDto>> SettingsOfAsync(Session s, IReadOnlyCollection<long> machineIds)
    {
        var settings = new Dictionary<long, AnomalySettingsDto>(machineIds.Count);
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
        var byType = new Dictionary<long, AnomalySettingsDto>();
        foreach (var (machine, type) in types)
        {
            if (!byType.TryGetValue(type, out var typed))
            {
                byType[type] = typed = await AnomalySettings.GetAsync(s, type);
            }

            settings[machine] = typed;
        }

        return settings;
    }

    /// <summary>Called under the machine's lock.</summary>
    public static void Apply(MachineWatch machine, Loaded loaded, long now, ILogger logger)
    {
        machine.Watched = loaded.Settings.Watched.ToDictionary(w => w.Tag, StringComparer.Ordinal);
        machine.Severity = loaded.Settings.Severity;
        machine.ConfigLoadedAt = now;
        foreach (var row in loaded.Series)
        {
            var series = new SeriesWatch(row.Id, row.Tag) { AlarmOpen = loaded.OpenRules.Contains(-row.Id) };
            row.Discounts.CopyTo(series.Discounts, 0);
            foreach (var saved in loaded.Detectors.Where(d => d.SeriesId == row.Id))
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
