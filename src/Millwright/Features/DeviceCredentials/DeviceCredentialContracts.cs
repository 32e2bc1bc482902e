namespace Millwright.Features.DeviceCredentials;

/// <summary>Returned once, when the credential is issued: the secret is not stored and cannot be shown again.</summary>
internal sealed record IssuedDeviceCredential(long Id, long MachineId, string Username, string Secret, DateTimeOffset CreatedAt);

internal sealed record DeviceCredentialDto(long Id, long MachineId, string Username, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A device that proved its credentials: which tenant and machine it speaks for.</summary>
internal sealed record DeviceIdentity(long TenantId, string TenantSlug, long MachineId, string MachineName, string Username)
{
    /// <summary>Where the device reports telemetry (mw/{tenant}/{machine}/telemetry); built once per login, not per publish.</summary>
    public string TelemetryTopic { get; } = $"mw/{TenantSlug}/{MachineName}/telemetry";

    /// <summary>Where the device answers the platform's commands (docs/production.md).</summary>
    public string CommandAckTopic { get; } = $"mw/{TenantSlug}/{MachineName}/cmd/ack";
}

internal sealed class DeviceCredentialRow
{
    public long Id { get; set; }
    public long MachineId { get; set; }
    public string Username { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? RevokedAt { get; set; }

    public DeviceCredentialDto AsDto() => new(Id, MachineId, Username, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        RevokedAt is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null);
}
