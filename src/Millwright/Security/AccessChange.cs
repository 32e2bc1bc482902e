namespace Millwright.Security;

/// <summary>
/// A committed change that may have taken access away from someone already connected: a revoked API key,
/// a machine's credentials, name or existence, a tenant's slug or existence. It names what was touched, not
/// who lost access: listeners re-check the connections it concerns against the store.
/// </summary>
internal sealed record AccessChange(long? TenantId, long? MachineId, long? ApiKeyId)
{
    /// <summary>The tenant itself (renamed slug, deleted): every connection of the tenant is re-checked.</summary>
    public static AccessChange OfTenant(long tenantId) => new(tenantId, null, null);

    /// <summary>A machine (renamed, deleted) or its credentials (issued, revoked).</summary>
    public static AccessChange OfMachine(long tenantId, long machineId) => new(tenantId, machineId, null);

    /// <summary>An API key (revoked); a platform key has no tenant.</summary>
    public static AccessChange OfApiKey(long? tenantId, long keyId) => new(tenantId, null, keyId);

    public bool IsTenantWide => MachineId is null && ApiKeyId is null;

    /// <summary>Whether a device connection of <paramref name="machineId"/> in <paramref name="tenantId"/> must be re-checked.</summary>
    public bool ConcernsMachine(long tenantId, long machineId) =>
        TenantId == tenantId && (IsTenantWide || MachineId == machineId);

    /// <summary>Whether a connection made with key <paramref name="keyId"/> of <paramref name="tenantId"/> must be re-checked.</summary>
    public bool ConcernsKey(long? tenantId, long keyId) =>
        ApiKeyId == keyId || (IsTenantWide && tenantId is not null && TenantId == tenantId);
}
