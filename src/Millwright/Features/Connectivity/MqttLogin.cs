using Millwright.Features.DeviceCredentials;

namespace Millwright.Features.Connectivity;

/// <summary>
/// What an MQTT client's login was checked against, as <see cref="MqttAccessCheck"/> compares it with the store: a
/// device's credential, machine and tenant under their names then, or an API key and its tenant's slug then. Plain
/// data, so that a session kept beyond this node (cluster mode) can store it and be checked while its client is away.
/// </summary>
internal sealed record MqttLogin(long? TenantId, string TenantSlug, long? MachineId, string? MachineName, string? Username, long? KeyId)
{
    /// <summary>The login of a client's principal; null for one the check does not cover (anonymous, the platform's own).</summary>
    public static MqttLogin? Of(object? principal) => principal switch
    {
        DeviceIdentity d => new(d.TenantId, d.TenantSlug, d.MachineId, d.MachineName, d.Username, null),
        KeyPrincipal k => new(k.Caller.TenantId, k.TenantSlug, null, null, null, k.Caller.KeyId),
        _ => null,
    };
}

/// <summary>
/// Sessions kept beyond this node's broker whose clients are away (cluster mode): the access watch ends those whose
/// login ended, as it ends the clients this node holds, so nothing keeps collecting for them until their expiry.
/// </summary>
internal interface IKeptSessions
{
    /// <summary>Deletes every away session whose login would be refused now (with what it collected); the number deleted.</summary>
    Task<int> EndRevokedAsync(CancellationToken cancellationToken);
}
