using System.Text.RegularExpressions;
using Millwright.Api;

namespace Millwright.Features.Alarms;

/// <summary>Alarm rules per machine type or machine: validation and storage. The engine reloads a tenant's rules after each change.</summary>
internal static partial class AlarmRules
{
    public const string Columns =
        "id, tenant_id, name, machine_type_id, machine_id, tag, kind, direction, limit_value, deadband, duration_s, state_value, severity, message, enabled, created_at, updated_at";

    public static readonly CrudOperations<AlarmRuleInput, AlarmRuleDto, AlarmRuleQuery> Operations = new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static async Task<Page<AlarmRuleDto>> ListAsync(Session s, AlarmRuleQuery query, PageRequest page)
    {
        var rows = await s.QueryAsync<AlarmRuleRow>(
            $"""
            SELECT {Columns} FROM alarm_rules
            WHERE tenant_id = @Tenant AND id > @After
              AND (@MachineTypeId IS NULL OR machine_type_id = @MachineTypeId)
              AND (@MachineId IS NULL OR machine_id = @MachineId)
              AND (@Kind IS NULL OR kind = @Kind)
            ORDER BY id LIMIT @Take
            """,
            new { s.Tenant, page.After, query.MachineTypeId, query.MachineId, query.Kind, Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<AlarmRuleDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<AlarmRuleRow>($"SELECT {Columns} FROM alarm_rules WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("alarm rule", id);

    public static async Task<AlarmRuleDto> CreateAsync(Session s, AlarmRuleInput input)
    {
        var r = await ValidateAsync(s, input);
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO alarm_rules (tenant_id, name, machine_type_id, machine_id, tag, kind, direction, limit_value, deadband,
                                         duration_s, state_value, severity, message, enabled, created_at, updated_at)
                VALUES (@Tenant, @Name, @MachineTypeId, @MachineId, @Tag, @Kind, @Direction, @LimitValue, @Deadband,
                        @DurationS, @StateValue, @Severity, @Message, @Enabled, @Now, @Now) RETURNING id
                """,
                Parameters(s, r)),
            $"An alarm rule named '{r.Name}' already exists.");
        await s.AuditAsync("create", "alarm_rule", id, $"created {r.Kind} alarm rule '{r.Name}' on tag '{r.Tag}' ({r.Severity})");
        return await GetAsync(s, id);
    }

    public static async Task<AlarmRuleDto> UpdateAsync(Session s, long id, AlarmRuleInput input)
    {
        var r = await ValidateAsync(s, input);
        var changed = await s.GuardAsync(
            () => s.ExecuteAsync(
                """
                UPDATE alarm_rules SET name = @Name, machine_type_id = @MachineTypeId, machine_id = @MachineId, tag = @Tag, kind = @Kind,
                    direction = @Direction, limit_value = @LimitValue, deadband = @Deadband, duration_s = @DurationS, state_value = @StateValue,
                    severity = @Severity, message = @Message, enabled = @Enabled, updated_at = @Now
                WHERE tenant_id = @Tenant AND id = @id
                """,
                new { id, s.Tenant, r.Name, r.MachineTypeId, r.MachineId, r.Tag, r.Kind, r.Direction, r.LimitValue, r.Deadband, r.DurationS, r.StateValue, r.Severity, r.Message, r.Enabled, s.Now }),
            $"An alarm rule named '{r.Name}' already exists.");
        if (changed == 0)
        {
            throw ApiProblem.NotFound("alarm rule", id);
        }

        if (!r.Enabled)
        {
            await CloseOpenAlarmsAsync(s, id, "rule disabled");
        }

        await s.AuditAsync("update", "alarm_rule", id, $"updated alarm rule '{r.Name}'" + (r.Enabled ? "" : " (disabled)"));
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var rule = await GetAsync(s, id);
        await CloseOpenAlarmsAsync(s, id, "rule deleted");
        await s.ExecuteAsync("DELETE FROM alarm_rules WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        await s.AuditAsync("delete", "alarm_rule", id, $"deleted alarm rule '{rule.Name}'");
    }

    /// <summary>A deleted or disabled rule closes its open alarms (their history stays), since nothing would ever clear them.</summary>
    private static async Task CloseOpenAlarmsAsync(Session s, long id, string reason)
    {
        await s.ExecuteAsync(
            """
            INSERT INTO alarm_events (tenant_id, alarm_id, at, kind, state, actor, comment)
            SELECT tenant_id, id, @Now, 'closed', 'closed', @Actor, @reason FROM alarms
            WHERE tenant_id = @Tenant AND rule_id = @id AND state <> 'closed'
            """,
            new { s.Tenant, id, s.Now, s.Caller.Actor, reason });
        await s.ExecuteAsync(
            "UPDATE alarms SET state = 'closed', condition_active = FALSE, closed_at = @Now, updated_at = @Now WHERE tenant_id = @Tenant AND rule_id = @id AND state <> 'closed'",
            new { s.Tenant, id, s.Now });
    }

    private static object Parameters(Session s, AlarmRuleRow r) =>
        new { s.Tenant, r.Name, r.MachineTypeId, r.MachineId, r.Tag, r.Kind, r.Direction, r.LimitValue, r.Deadband, r.DurationS, r.StateValue, r.Severity, r.Message, r.Enabled, s.Now };

    /// <summary>Checks a rule against its kind and returns it as it will be stored.</summary>
    private static async Task<AlarmRuleRow> ValidateAsync(Session s, AlarmRuleInput input)
    {
        var v = new Validator();
        var row = new AlarmRuleRow { Name = v.Name("name", input.Name), Enabled = input.Enabled ?? true };
        if ((input.MachineTypeId is null) == (input.MachineId is null))
        {
            v.Add("machineTypeId", "exactly one of machineTypeId and machineId is required");
        }
        else
        {
            row.MachineTypeId = input.MachineTypeId is null ? null : v.Id("machineTypeId", input.MachineTypeId);
            row.MachineId = input.MachineId is null ? null : v.Id("machineId", input.MachineId);
        }

        row.Kind = input.Kind ?? "";
        if (!AlarmVocabulary.Kinds.Contains(row.Kind))
        {
            v.Add("kind", $"must be one of {string.Join(", ", AlarmVocabulary.Kinds)}");
        }

        row.Tag = input.Tag ?? (row.Kind == AlarmVocabulary.State ? AlarmVocabulary.StateTag : "");
        if (!TagName().IsMatch(row.Tag))
        {
            v.Add("tag", "must be 1-64 characters of letters, digits, '_', '.' and '-', starting with a letter");
        }

        row.Severity = input.Severity ?? "";
        if (!AlarmVocabulary.Severities.Contains(row.Severity))
        {
            v.Add("severity", $"must be one of {string.Join(", ", AlarmVocabulary.Severities)}");
        }

        row.Message = input.Message ?? "";
        try
        {
            MessageTemplate.Parse(row.Message);
        }
        catch (MessageTemplateException e)
        {
            v.Add("message", e.Message);
        }

        ValidateKind(v, input, row);
        v.ThrowIfInvalid();
        if (row.MachineTypeId is { } type)
        {
            await s.RequireReferenceAsync("machine_types", "machineTypeId", "machine type", type);
        }

        if (row.MachineId is { } machine)
        {
            await s.RequireReferenceAsync("machines", "machineId", "machine", machine);
        }

        return row;
    }

    private static void ValidateKind(Validator v, AlarmRuleInput input, AlarmRuleRow row)
    {
        var kind = row.Kind;
        var numeric = kind is AlarmVocabulary.Threshold or AlarmVocabulary.Duration or AlarmVocabulary.Rate;
        row.Deadband = input.Deadband ?? 0;
        if (numeric)
        {
            if (input.Limit is not { } limit || !double.IsFinite(limit))
            {
                v.Add("limit", $"a {kind} rule needs a finite limit");
            }

            row.LimitValue = input.Limit;
            if (!double.IsFinite(row.Deadband) || row.Deadband < 0)
            {
                v.Add("deadband", "must be a finite number of zero or more");
            }
        }
        else if (input.Limit is not null || input.Deadband is not null)
        {
            v.Add("limit", $"a {kind} rule has no limit or deadband");
        }

        row.Direction = input.Direction;
        if (kind is AlarmVocabulary.Threshold or AlarmVocabulary.Duration && !AlarmVocabulary.Directions.Contains(input.Direction))
        {
            v.Add("direction", $"a {kind} rule needs direction high or low");
        }
        else if (kind == AlarmVocabulary.Rate && input.Direction is not null && !AlarmVocabulary.Directions.Contains(input.Direction))
        {
            v.Add("direction", "must be high (rising), low (falling) or absent (either way)");
        }
        else if (kind is AlarmVocabulary.Missing or AlarmVocabulary.State && input.Direction is not null)
        {
            v.Add("direction", $"a {kind} rule has no direction");
        }

        if (kind == AlarmVocabulary.Rate && input.Limit is > 0 && row.Deadband >= input.Limit)
        {
            v.Add("deadband", "must be smaller than the rate limit");
        }
        else if (kind == AlarmVocabulary.Rate && input.Limit is <= 0)
        {
            v.Add("limit", "a rate limit (change per minute) must be greater than zero");
        }

        var timed = kind is AlarmVocabulary.Duration or AlarmVocabulary.Missing;
        if (timed && input.DurationSeconds is not (>= 1 and <= AlarmVocabulary.MaxDurationSeconds))
        {
            v.Add("durationSeconds", $"a {kind} rule needs durationSeconds between 1 and {AlarmVocabulary.MaxDurationSeconds}");
        }
        else if (!timed && input.DurationSeconds is not null)
        {
            v.Add("durationSeconds", $"a {kind} rule has no duration");
        }

        row.DurationS = input.DurationSeconds;
        row.StateValue = input.StateValue;
        if (kind == AlarmVocabulary.State && (string.IsNullOrWhiteSpace(input.StateValue) || input.StateValue.Length > 64 || input.StateValue.Any(char.IsControl)))
        {
            v.Add("stateValue", "a state rule needs the state it watches for (1-64 characters, e.g. down)");
        }
        else if (kind != AlarmVocabulary.State && input.StateValue is not null)
        {
            v.Add("stateValue", $"a {kind} rule has no stateValue");
        }
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.-]{0,63}\z")]
    private static partial Regex TagName();
}
