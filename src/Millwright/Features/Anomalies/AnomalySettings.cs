using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.MachineTypes;

namespace Millwright.Features.Anomalies;

/// <summary>
/// Which tags of a machine type are watched for anomalies, how sensitive each is and how severe their alarms are.
/// A type without stored settings uses the defaults: every float gauge except the tags whose normal life is a
/// ramp or a position (progress, fill levels, coordinates), at medium sensitivity, medium severity.
/// </summary>
internal static class AnomalySettings
{
    public const string DefaultSeverity = "medium";

    // Tags of the virtual factory's kinds that are gauges but not stationary: a build's progress saw-tooths from
    // 0 to 100, binder and fuel drain and are refilled, an excavator's position wanders. Every jump of those is normal.
    private static readonly HashSet<string> NotStationary = new(StringComparer.Ordinal)
    {
        "build_progress", "binder_level", "fuel_level", "latitude", "longitude",
    };

    public static IReadOnlyList<WatchedTag> Defaults(IEnumerable<TagDefinition> tags) =>
        [.. tags.Where(t => t.DataType == "float" && t.Kind == "gauge" && !NotStationary.Contains(t.Name)).Select(t => new WatchedTag(t.Name, AnomalyVocabulary.Medium))];

    public static async Task<AnomalySettingsDto> GetAsync(Session s, long typeId)
    {
        var tags = await TagsAsync(s, typeId);
        var rows = await s.QueryAsync<(string Watched, string Severity)>(
            "SELECT watched, severity FROM anomaly_settings WHERE tenant_id = @Tenant AND machine_type_id = @typeId", new { s.Tenant, typeId });
        return rows.Count > 0 && rows[0] is var stored
            ? new AnomalySettingsDto(typeId, "stored", stored.Severity, Parse(stored.Watched))
            : new AnomalySettingsDto(typeId, "default", DefaultSeverity, Defaults(tags));
    }

    public static async Task<AnomalySettingsDto> PutAsync(Session s, long typeId, AnomalySettingsInput input)
    {
        var tags = (await TagsAsync(s, typeId)).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var severity = input.Severity ?? DefaultSeverity;
        if (!AlarmVocabulary.Severities.Contains(severity))
        {
            throw ApiProblem.Invalid("severity", $"must be one of {string.Join(", ", AlarmVocabulary.Severities)}");
        }

        var watched = new List<WatchedTag>();
        var given = input.Watched ?? throw ApiProblem.Invalid("watched", "is required (an empty list watches nothing)");
        if (given.Count > AnomalyVocabulary.MaxWatched)
        {
            throw ApiProblem.Invalid("watched", $"at most {AnomalyVocabulary.MaxWatched} tags per type");
        }

        for (var i = 0; i < given.Count; i++)
        {
            var tag = given[i]?.Tag ?? throw ApiProblem.Invalid($"watched[{i}].tag", "is required");
            if (!tags.TryGetValue(tag, out var definition))
            {
                throw ApiProblem.Invalid($"watched[{i}].tag", $"'{tag}' is not a tag of this machine type");
            }

            if (definition.DataType is not ("float" or "int"))
            {
                throw ApiProblem.Invalid($"watched[{i}].tag", $"'{tag}' is {definition.DataType}; only numeric tags can be watched");
            }

            var sensitivity = given[i]!.Sensitivity ?? AnomalyVocabulary.Medium;
            if (!AnomalyVocabulary.Sensitivities.Contains(sensitivity))
            {
                throw ApiProblem.Invalid($"watched[{i}].sensitivity", $"must be one of {string.Join(", ", AnomalyVocabulary.Sensitivities)}");
            }

            if (watched.Any(w => w.Tag == tag))
            {
                throw ApiProblem.Invalid($"watched[{i}].tag", $"'{tag}' is listed twice");
            }

            watched.Add(new WatchedTag(tag, sensitivity));
        }

        var text = Format(watched);
        await s.ExecuteAsync(
            """
            INSERT INTO anomaly_settings (tenant_id, machine_type_id, watched, severity, updated_at) VALUES (@Tenant, @typeId, @text, @severity, @Now)
            ON CONFLICT (tenant_id, machine_type_id) DO UPDATE SET watched = excluded.watched, severity = excluded.severity, updated_at = excluded.updated_at
            """,
            new { s.Tenant, typeId, text, severity, s.Now });
        await s.AuditAsync("update", "anomaly_settings", typeId,
            watched.Count == 0 ? "stopped watching the type's tags for anomalies" : $"watching {text} for anomalies ({severity} alarms)");
        return new AnomalySettingsDto(typeId, "stored", severity, watched);
    }

    /// <summary>The settings in force for one machine, or null when the machine is not the caller's.</summary>
    public static async Task<(long TypeId, AnomalySettingsDto Settings)?> ForMachineAsync(Session s, long machineId)
    {
        var typeId = await s.QueryOneAsync<long?>("SELECT type_id FROM machines WHERE tenant_id = @Tenant AND id = @machineId", new { s.Tenant, machineId });
        return typeId is { } type ? (type, await GetAsync(s, type)) : null;
    }

    public static string Format(IEnumerable<WatchedTag> watched) => string.Join(',', watched.Select(w => $"{w.Tag}:{w.Sensitivity}"));

    public static IReadOnlyList<WatchedTag> Parse(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(part => part.Split(':')).Select(p => new WatchedTag(p[0], p.Length > 1 ? p[1] : AnomalyVocabulary.Medium))];

    private static async Task<IReadOnlyList<TagDefinition>> TagsAsync(Session s, long typeId)
    {
        var json = await s.QueryOneAsync<string>("SELECT tags FROM machine_types WHERE tenant_id = @Tenant AND id = @typeId", new { s.Tenant, typeId })
            ?? throw ApiProblem.NotFound("machine type", typeId);
        return TagJson.Parse(json);
    }
}
