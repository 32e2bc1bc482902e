using System.Text.Json;
using Millwright.Api;
using Millwright.Features.MachineTypes;

namespace Millwright.Features.States;

/// <summary>State rules per machine type: stored as one JSON document next to the type, checked against its tags.</summary>
internal static class StateRules
{
    public const int MaxRules = 50;
    public const int MaxMapEntries = 500;
    public const double MaxOfflineAfterSeconds = 7 * 24 * 3600;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<StateRulesDto> GetAsync(Session s, long typeId)
    {
        await MachineTypes.MachineTypes.GetAsync(s, typeId);
        var rows = await s.QueryAsync<(string Document, long UpdatedAt)>(
            "SELECT document, updated_at FROM state_rules WHERE tenant_id = @Tenant AND type_id = @typeId", new { s.Tenant, typeId });
        return rows.Count == 1
            ? new StateRulesDto(typeId, Parse(rows[0].Document), DateTimeOffset.FromUnixTimeMilliseconds(rows[0].UpdatedAt))
            : new StateRulesDto(typeId, StateRuleSet.Default, null);
    }

    public static async Task<StateRulesDto> PutAsync(Session s, long typeId, StateRuleSetInput input)
    {
        var type = await MachineTypes.MachineTypes.GetAsync(s, typeId);
        var set = Validate(input, type.Tags);
        var document = JsonSerializer.Serialize(set, Json);
        var changed = await s.ExecuteAsync(
            "UPDATE state_rules SET document = @document, updated_at = @Now WHERE tenant_id = @Tenant AND type_id = @typeId",
            new { s.Tenant, typeId, document, s.Now });
        if (changed == 0)
        {
            await s.ExecuteAsync(
                "INSERT INTO state_rules (tenant_id, type_id, document, updated_at) VALUES (@Tenant, @typeId, @document, @Now)",
                new { s.Tenant, typeId, document, s.Now });
        }

        await s.AuditAsync("update", "state_rules", typeId, $"set {set.Rules.Count} state rules of machine type '{type.Name}'");
        return await GetAsync(s, typeId);
    }

    /// <summary>The rule set of a machine's type, for the tracker; the default set when none is stored.</summary>
    public static async Task<StateRuleSet> OfMachineAsync(Session s, long machineId)
    {
        var document = await s.QueryOneAsync<string>(
            """
            SELECT r.document FROM state_rules r JOIN machines m ON m.tenant_id = r.tenant_id AND m.type_id = r.type_id
            WHERE m.tenant_id = @Tenant AND m.id = @machineId
            """,
            new { s.Tenant, machineId });
        return document is null ? StateRuleSet.Default : Parse(document);
    }

    public static StateRuleSet Parse(string document) =>
        JsonSerializer.Deserialize<StateRuleSet>(document, Json) ?? StateRuleSet.Default;

    public static StateRuleSet Validate(StateRuleSetInput input, IReadOnlyList<TagDefinition> tags)
    {
        var v = new Validator();
        var byName = tags.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var rules = new List<StateRule>();
        var inputs = input.Rules ?? [];
        if (inputs.Count > MaxRules)
        {
            v.Add("rules", $"at most {MaxRules} rules per machine type");
        }

        for (var i = 0; i < inputs.Count && i < MaxRules; i++)
        {
            var at = $"rules[{i}]";
            if (inputs[i] is not { } rule)
            {
                v.Add(at, "must be an object");
                continue;
            }

            if (rule.State is null || !MachineStateNames.FromRules.Contains(rule.State))
            {
                v.Add($"{at}.state", $"must be one of {string.Join(", ", MachineStateNames.FromRules)} (offline and planned_stop come from the clock and the calendar)");
            }

            try
            {
                var condition = ConditionParser.Parse(rule.When);
                foreach (var tag in condition.Tags.Where(t => !byName.ContainsKey(t)))
                {
                    v.Add($"{at}.when", $"'{tag}' is not a tag of this machine type");
                }
            }
            catch (ConditionFormatException e)
            {
                v.Add($"{at}.when", e.Message);
            }

            rules.Add(new StateRule(rule.State ?? "", rule.When ?? ""));
        }

        var defaultState = input.DefaultState ?? MachineStateNames.Idle;
        if (!MachineStateNames.FromRules.Contains(defaultState))
        {
            v.Add("defaultState", $"must be one of {string.Join(", ", MachineStateNames.FromRules)}");
        }

        var offlineAfter = input.OfflineAfterSeconds ?? StateRuleSet.DefaultOfflineAfterSeconds;
        var offlineField = "offlineAfterSeconds";
        if (input.OfflineAfterIntervals is not null || input.ReportingIntervalSeconds is not null)
        {
            offlineField = "offlineAfterIntervals";
            if (input.OfflineAfterSeconds is not null)
            {
                v.Add("offlineAfterSeconds", "give either offlineAfterSeconds or offlineAfterIntervals with reportingIntervalSeconds, not both");
            }

            if (input.OfflineAfterIntervals is not ({ } intervals and >= 1) || input.ReportingIntervalSeconds is not ({ } every and > 0) || !double.IsFinite(every))
            {
                v.Add(offlineField, "needs a whole number of intervals (1 or more) and a positive reportingIntervalSeconds");
            }
            else
            {
                offlineAfter = intervals * every;
            }
        }

        if (!(offlineAfter is >= 1 and <= MaxOfflineAfterSeconds))
        {
            v.Add(offlineField, $"the offline timeout must be between 1 and {MaxOfflineAfterSeconds} seconds (a week)");
        }

        var alarmTag = TagOf(v, "alarmTag", input.AlarmTag, byName, numeric: false);
        var partCounter = TagOf(v, "partCounter", input.PartCounter, byName, numeric: true);
        var scrapCounter = TagOf(v, "scrapCounter", input.ScrapCounter, byName, numeric: true);
        var energyCounter = TagOf(v, "energyCounter", input.EnergyCounter, byName, numeric: true);
        var programTag = TagOf(v, "programTag", input.ProgramTag, byName, numeric: false);
        var reasons = input.AlarmReasons ?? new Dictionary<string, string>();
        if (reasons.Count > MaxMapEntries)
        {
            v.Add("alarmReasons", $"at most {MaxMapEntries} entries");
        }

        foreach (var (code, text) in reasons.Take(MaxMapEntries))
        {
            if (code.Length is 0 or > 64 || string.IsNullOrWhiteSpace(text) || text.Length > 200)
            {
                v.Add($"alarmReasons.{code}", "codes are 1-64 characters and reasons 1-200 characters");
            }
        }

        if (input.IdealCycleSeconds is { } ideal && !(double.IsFinite(ideal) && ideal > 0))
        {
            v.Add("idealCycleSeconds", "must be a positive number of seconds");
        }

        var byProgram = input.IdealCycleByProgram ?? new Dictionary<string, double>();
        if (byProgram.Count > MaxMapEntries)
        {
            v.Add("idealCycleByProgram", $"at most {MaxMapEntries} entries");
        }

        foreach (var (program, seconds) in byProgram.Take(MaxMapEntries))
        {
            if (program.Length is 0 or > 64 || !(double.IsFinite(seconds) && seconds > 0))
            {
                v.Add($"idealCycleByProgram.{program}", "programs are 1-64 characters and cycle times positive seconds");
            }
        }

        if (byProgram.Count > 0 && programTag is null)
        {
            v.Add("programTag", "is required when ideal cycle times are given per program");
        }

        v.ThrowIfInvalid();
        return new StateRuleSet(rules, defaultState, offlineAfter, alarmTag, reasons, partCounter, scrapCounter, energyCounter,
            programTag, input.IdealCycleSeconds, byProgram, input.ReportingIntervalSeconds, input.OfflineAfterIntervals);
    }

    private static string? TagOf(Validator v, string field, string? name, Dictionary<string, TagDefinition> tags, bool numeric)
    {
        if (name is null)
        {
            return null;
        }

        if (!tags.TryGetValue(name, out var tag))
        {
            v.Add(field, $"'{name}' is not a tag of this machine type");
        }
        else if (numeric && tag.DataType is not ("float" or "int"))
        {
            v.Add(field, $"'{name}' must be a float or int tag");
        }

        return name;
    }
}
