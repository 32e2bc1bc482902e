namespace Millwright.Features.Alarms;

internal sealed record AlarmDto(
    long Id, long RuleId, string RuleName, long MachineId, string MachineName, string Tag, string Severity, string Message, string State,
    bool ConditionActive, string? LastValue, DateTimeOffset RaisedAt, DateTimeOffset? ClearedAt,
    DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, string? AcknowledgeComment,
    DateTimeOffset? ShelvedUntil, string? ShelvedBy, string? ShelveReason, DateTimeOffset? ClosedAt);

internal sealed record AlarmEventDto(long Id, long AlarmId, DateTimeOffset At, string Kind, string State, string? Actor, string? Comment, string? Value);

internal sealed record AcknowledgeInput(string? Comment);

internal sealed record ShelveInput(int? Minutes, string? Reason);

/// <summary>Alarms raised in one bucket of a period, by severity.</summary>
internal sealed record AlarmCountDto(DateTimeOffset From, DateTimeOffset To, long Low, long Medium, long High, long Critical, long Total);

/// <summary>
/// One transition of one alarm, as it goes to the live feed and to webhooks. <see cref="Suppressed"/> marks what
/// happened while the alarm was shelved: recorded in the history, announced to nobody.
/// </summary>
internal sealed record AlarmEventMessage(
    long EventId, long TenantId, long AlarmId, long MachineId, string MachineName, long RuleId, string RuleName, string Tag,
    string Kind, string State, string Severity, string Message, string? Value, string? Actor, string? Comment, DateTimeOffset At, bool Suppressed);

internal sealed class AlarmRow
{
    public const string Columns =
        "a.id, a.tenant_id, a.rule_id, a.rule_name, a.machine_id, m.name AS machine_name, a.tag, a.severity, a.message, a.state, a.condition_active, a.last_value, " +
        "a.raised_at, a.cleared_at, a.acked_at, a.acked_by, a.ack_comment, a.shelved_until, a.shelved_by, a.shelve_reason, a.closed_at";

    public const string From = "alarms a JOIN machines m ON m.tenant_id = a.tenant_id AND m.id = a.machine_id";

    public long Id { get; set; }
    public long TenantId { get; set; }
    public long RuleId { get; set; }
    public string RuleName { get; set; } = "";
    public long MachineId { get; set; }
    public string MachineName { get; set; } = "";
    public string Tag { get; set; } = "";
    public string Severity { get; set; } = "";
    public string Message { get; set; } = "";
    public string State { get; set; } = "";
    public bool ConditionActive { get; set; }
    public string? LastValue { get; set; }
    public long RaisedAt { get; set; }
    public long? ClearedAt { get; set; }
    public long? AckedAt { get; set; }
    public string? AckedBy { get; set; }
    public string? AckComment { get; set; }
    public long? ShelvedUntil { get; set; }
    public string? ShelvedBy { get; set; }
    public string? ShelveReason { get; set; }
    public long? ClosedAt { get; set; }

    public AlarmDto AsDto() => new(Id, RuleId, RuleName, MachineId, MachineName, Tag, Severity, Message, State, ConditionActive, LastValue,
        At(RaisedAt), At(ClearedAt), At(AckedAt), AckedBy, AckComment, At(ShelvedUntil), ShelvedBy, ShelveReason, At(ClosedAt));

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}

internal sealed class AlarmEventRow
{
    public long Id { get; set; }
    public long AlarmId { get; set; }
    public long At { get; set; }
    public string Kind { get; set; } = "";
    public string State { get; set; } = "";
    public string? Actor { get; set; }
    public string? Comment { get; set; }
    public string? Value { get; set; }

    public AlarmEventDto AsDto() => new(Id, AlarmId, DateTimeOffset.FromUnixTimeMilliseconds(At), Kind, State, Actor, Comment, Value);
}
