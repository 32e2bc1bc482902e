namespace Millwright.Features.Fleet;

/// <summary>An AEMP feed to import: its snapshot URL, HTTP Basic credentials, where its machines go, how often to poll.</summary>
internal sealed record ImportSourceInput(string? Name, string? Url, string? Username, string? Password, long? LineId, long? MachineTypeId, int? IntervalSeconds, int? TimeoutSeconds);

/// <summary>A feed and how its last polls went; the password is never returned.</summary>
internal sealed record ImportSourceDto(
    long Id, string Name, string Url, string? Username, bool HasPassword, long LineId, long MachineTypeId, int IntervalSeconds, int TimeoutSeconds,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? LastSuccessAt, string? LastError, IReadOnlyList<string> LastWarnings, long Failures, long Machines);

internal sealed class ImportSourceRow
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public long LineId { get; set; }
    public long MachineTypeId { get; set; }
    public long IntervalS { get; set; }
    public long TimeoutS { get; set; }
    public long? LastAttemptAt { get; set; }
    public long? LastSuccessAt { get; set; }
    public string? LastError { get; set; }
    public string? LastWarnings { get; set; }
    public long Failures { get; set; }
    public long Machines { get; set; }

    public ImportSourceDto AsDto() => new(
        Id, Name, Url, Username, Password is not null, LineId, MachineTypeId, (int)IntervalS, (int)TimeoutS, At(LastAttemptAt), At(LastSuccessAt), LastError,
        string.IsNullOrEmpty(LastWarnings) ? [] : LastWarnings.Split('\n'), Failures, Machines);

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
