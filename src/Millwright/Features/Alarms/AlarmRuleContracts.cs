using Millwright.Api;

namespace Millwright.Features.Alarms;

/// <summary>
/// A rule as a client sends it; every field optional so that a missing one is reported by name. Exactly one of
/// <see cref="MachineTypeId"/> (every machine of the type) and <see cref="MachineId"/> (one machine) is set.
/// </summary>
internal sealed record AlarmRuleInput(
    string? Name, long? MachineTypeId, long? MachineId, string? Tag, string? Kind, string? Direction,
    double? Limit, double? Deadband, int? DurationSeconds, string? StateValue, string? Severity, string? Message, bool? Enabled);

internal sealed record AlarmRuleDto(
    long Id, string Name, long? MachineTypeId, long? MachineId, string Tag, string Kind, string? Direction,
    double? Limit, double Deadband, int? DurationSeconds, string? StateValue, string Severity, string Message, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record AlarmRuleQuery(int? Limit, long? After, long? MachineTypeId, long? MachineId, string? Kind) : IListQuery;

internal sealed class AlarmRuleRow
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public string Name { get; set; } = "";
    public long? MachineTypeId { get; set; }
    public long? MachineId { get; set; }
    public string Tag { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Direction { get; set; }
    public double? LimitValue { get; set; }
    public double Deadband { get; set; }
    public long? DurationS { get; set; }
    public string? StateValue { get; set; }
    public string Severity { get; set; } = "";
    public string Message { get; set; } = "";
    public bool Enabled { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public AlarmRuleDto AsDto() => new(Id, Name, MachineTypeId, MachineId, Tag, Kind, Direction, LimitValue, Deadband,
        DurationS is { } d ? (int)d : null, StateValue, Severity, Message, Enabled,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
