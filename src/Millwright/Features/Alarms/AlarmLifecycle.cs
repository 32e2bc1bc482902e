using System.Globalization;
using Millwright.Api;

namespace Millwright.Features.Alarms;

/// <summary>
/// The ISA-18.2 state machine of one alarm, in SQL. Every change is a conditional UPDATE on the state it was read
/// in, so the engine's writer and an operator acting at the same moment cannot both win; each transition writes
/// its history row in the same transaction.
/// </summary>
internal static class AlarmLifecycle
{
    public static Task<AlarmRow?> FindAsync(Session s, long id) =>
        s.QueryOneAsync<AlarmRow>($"SELECT {AlarmRow.Columns} FROM {AlarmRow.From} WHERE a.tenant_id = @Tenant AND a.id = @id", new { s.Tenant, id });

    private static Task<AlarmRow?> FindOpenAsync(Session s, long ruleId, long machineId) =>
        s.QueryOneAsync<AlarmRow>(
            $"SELECT {AlarmRow.Columns} FROM {AlarmRow.From} WHERE a.tenant_id = @Tenant AND a.rule_id = @ruleId AND a.machine_id = @machineId AND a.state <> 'closed'",
            new { s.Tenant, ruleId, machineId });

    /// <summary>The condition of <paramref name="t"/>'s rule became true on its machine.</summary>
    public static async Task<AlarmEventMessage?> RaiseAsync(Session s, AlarmTransition t)
    {
        var rule = t.Rule!;
        var open = await FindOpenAsync(s, rule.Id, t.MachineId);
        if (open is null)
        {
            var machine = await s.QueryOneAsync<string>("SELECT name FROM machines WHERE tenant_id = @Tenant AND id = @MachineId", new { s.Tenant, t.MachineId });
            if (machine is null)
            {
                return null; // deleted since the rule was loaded
            }

            var message = rule.Message.Render(Values(rule, machine, t.Value));
            var id = await s.ScalarAsync<long>(
                """
                INSERT INTO alarms (tenant_id, rule_id, machine_id, rule_name, tag, severity, message, state, condition_active, last_value, raised_at, updated_at)
                VALUES (@Tenant, @RuleId, @MachineId, @Name, @Tag, @Severity, @message, 'active', TRUE, @Value, @At, @At) RETURNING id
                """,
                new { s.Tenant, RuleId = rule.Id, t.MachineId, rule.Name, rule.Tag, rule.Severity, message, t.Value, t.At });
            return await RecordAsync(s, id, "raised", null, null, t.Value);
        }

        var (state, suppressed) = open.State switch
        {
            AlarmVocabulary.ReturnedUnacknowledged => (AlarmVocabulary.Active, false),
            AlarmVocabulary.Shelved => (AlarmVocabulary.Shelved, true),
            _ => (open.State, true), // already active: nothing to announce
        };
        await MoveAsync(s, open, state, "condition_active = TRUE, last_value = @Value", new { t.Value });
        return open.State is AlarmVocabulary.Active or AlarmVocabulary.Acknowledged
            ? null
            : await RecordAsync(s, open.Id, "raised", null, null, t.Value, suppressed);
    }

    /// <summary>The condition returned to normal: unacknowledged alarms wait as rtn_unack, acknowledged ones close.</summary>
    public static async Task<AlarmEventMessage?> ClearAsync(Session s, AlarmTransition t)
    {
        var open = await FindOpenAsync(s, t.Rule!.Id, t.MachineId);
        if (open is null || !open.ConditionActive)
        {
            return null;
        }

        var (state, extra) = open.State switch
        {
            AlarmVocabulary.Active => (AlarmVocabulary.ReturnedUnacknowledged, ", cleared_at = @At"),
            AlarmVocabulary.Acknowledged => (AlarmVocabulary.Closed, ", cleared_at = @At, closed_at = @At"),
            _ => (open.State, ", cleared_at = @At"),
        };
        await MoveAsync(s, open, state, "condition_active = FALSE, last_value = @Value" + extra, new { t.Value, t.At });
        return await RecordAsync(s, open.Id, "cleared", null, null, t.Value, suppressed: open.State == AlarmVocabulary.Shelved);
    }

    public static async Task<AlarmEventMessage> AcknowledgeAsync(Session s, long id, string? comment)
    {
        var alarm = await FindAsync(s, id) ?? throw ApiProblem.NotFound("alarm", id);
        var state = alarm.State switch
        {
            AlarmVocabulary.Active => AlarmVocabulary.Acknowledged,
            AlarmVocabulary.ReturnedUnacknowledged => AlarmVocabulary.Closed,
            _ => throw ApiProblem.Conflict($"Alarm {id} is {alarm.State}; only active and returned-unacknowledged (rtn_unack) alarms can be acknowledged."),
        };
        await MoveAsync(s, alarm, state, "acked_at = @Now, acked_by = @Actor, ack_comment = @comment" + (state == AlarmVocabulary.Closed ? ", closed_at = @Now" : ""),
            new { s.Now, s.Caller.Actor, comment });
        await s.AuditAsync("acknowledge", "alarm", id, $"acknowledged alarm '{alarm.RuleName}' on {alarm.MachineName}" + (comment is null ? "" : $": {comment}"));
        return (await RecordAsync(s, id, "acknowledged", s.Caller.Actor, comment, null))!;
    }

    public static async Task<AlarmEventMessage> ShelveAsync(Session s, long id, int minutes, string reason)
    {
        var alarm = await FindAsync(s, id) ?? throw ApiProblem.NotFound("alarm", id);
        if (alarm.State is AlarmVocabulary.Shelved or AlarmVocabulary.Closed)
        {
            throw ApiProblem.Conflict($"Alarm {id} is {alarm.State} and cannot be shelved.");
        }

        var until = s.Now + (minutes * 60_000L);
        await MoveAsync(s, alarm, AlarmVocabulary.Shelved, "shelved_until = @until, shelved_by = @Actor, shelve_reason = @reason", new { until, s.Caller.Actor, reason });
        await s.AuditAsync("shelve", "alarm", id, string.Create(CultureInfo.InvariantCulture, $"shelved alarm '{alarm.RuleName}' on {alarm.MachineName} for {minutes} min: {reason}"));
        return (await RecordAsync(s, id, "shelved", s.Caller.Actor, reason, null))!;
    }

    /// <summary>
    /// Back from the shelf: a condition still present comes back active and unacknowledged, to be seen again
    /// (whatever acknowledgement it had before); one that went away closes.
    /// </summary>
    public static async Task<AlarmEventMessage> UnshelveAsync(Session s, long id, string? reason)
    {
        var alarm = await FindAsync(s, id) ?? throw ApiProblem.NotFound("alarm", id);
        if (alarm.State != AlarmVocabulary.Shelved)
        {
            throw ApiProblem.Conflict($"Alarm {id} is {alarm.State}, not shelved.");
        }

        var state = alarm.ConditionActive ? AlarmVocabulary.Active : AlarmVocabulary.Closed;
        await MoveAsync(s, alarm, state, "shelved_until = NULL, acked_at = NULL, acked_by = NULL, ack_comment = NULL" + (alarm.ConditionActive ? "" : ", closed_at = @Now"), new { s.Now });
        if (s.Caller.KeyId != 0)
        {
            await s.AuditAsync("unshelve", "alarm", id, $"unshelved alarm '{alarm.RuleName}' on {alarm.MachineName}");
        }

        return (await RecordAsync(s, id, "unshelved", s.Caller.Actor, reason, null))!;
    }

    /// <summary>Moves the alarm from the state it was read in; a 409 tells the caller someone else moved it first.</summary>
    private static async Task MoveAsync(Session s, AlarmRow alarm, string state, string set, object extra)
    {
        var parameters = new Dapper.DynamicParameters(extra);
        parameters.AddDynamicParams(new { s.Tenant, alarm.Id, seen = alarm.State, state, UpdatedAt = s.Now });
        var changed = await s.ExecuteAsync($"UPDATE alarms SET state = @state, updated_at = @UpdatedAt, {set} WHERE tenant_id = @Tenant AND id = @Id AND state = @seen", parameters);
        if (changed == 0)
        {
            throw ApiProblem.Conflict($"Alarm {alarm.Id} changed while this request ran; read it again.");
        }
    }

    private static async Task<AlarmEventMessage?> RecordAsync(Session s, long alarmId, string kind, string? actor, string? comment, string? value, bool suppressed = false)
    {
        var alarm = (await FindAsync(s, alarmId))!;
        var eventId = await s.ScalarAsync<long>(
            "INSERT INTO alarm_events (tenant_id, alarm_id, at, kind, state, actor, comment, value) VALUES (@Tenant, @alarmId, @Now, @kind, @State, @actor, @comment, @value) RETURNING id",
            new { s.Tenant, alarmId, s.Now, kind, alarm.State, actor, comment, value });
        return new AlarmEventMessage(eventId, s.Tenant, alarmId, alarm.MachineId, alarm.MachineName, alarm.RuleId, alarm.RuleName, alarm.Tag,
            kind, alarm.State, alarm.Severity, alarm.Message, value, actor, comment, DateTimeOffset.FromUnixTimeMilliseconds(s.Now), suppressed);
    }

    private static string[] Values(CompiledRule rule, string machine, string? value) =>
    [
        machine, rule.Tag, value ?? "", rule.Limit.ToString(CultureInfo.InvariantCulture), rule.Name, rule.Severity,
        rule.StateValue ?? "", (rule.DurationMs / 1000).ToString(CultureInfo.InvariantCulture) + " s",
    ];
}
