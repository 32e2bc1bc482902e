namespace Millwright.Security;

/// <summary>
/// What a key may do. Viewers read; operators also change the equipment registry (sites to machines,
/// machine types, device credentials); tenant admins also manage keys and read the audit log; the
/// platform admin manages tenants and holds no tenant of its own.
/// </summary>
internal enum Role
{
    Viewer,
    Operator,
    TenantAdmin,
    PlatformAdmin,

    /// <summary>An outside person a tenant admitted to its makerspace: that and nothing else (docs/makerspace.md).</summary>
    Participant,
}

internal static class Roles
{
    public static string ToWire(this Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Operator => "operator",
        Role.TenantAdmin => "tenant_admin",
        Role.PlatformAdmin => "platform_admin",
        Role.Participant => "participant",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? text, out Role role)
    {
        foreach (var candidate in Enum.GetValues<Role>())
        {
            if (candidate.ToWire() == text)
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    public static readonly string Names = string.Join(", ", Enum.GetValues<Role>().Select(r => r.ToWire()));
}
