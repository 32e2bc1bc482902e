using System.Globalization;
using System.Security.Claims;
using Millwright.Api;

namespace Millwright.Security;

/// <summary>Who is asking: the API key that authenticated the request, its tenant and its role.</summary>
internal sealed record Caller(long KeyId, string KeyName, long? TenantId, Role Role)
{
    public const string KeyIdClaim = "mw:key_id";
    public const string TenantClaim = "mw:tenant_id";

    /// <summary>The command line acting on the store directly, as the operating-system user who runs it.</summary>
    public static Caller CommandLine(long? tenantId) => new(0, "cli:" + Environment.UserName, tenantId, tenantId is null ? Role.PlatformAdmin : Role.TenantAdmin);

    public string Actor => KeyId == 0 ? KeyName : $"key {KeyId} ({KeyName})";

    /// <summary>The tenant every query of this request is scoped to; platform keys have none.</summary>
    public long Tenant => TenantId ?? throw ApiProblem.Forbidden("A platform key has no tenant; use a key of the tenant.");

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(KeyIdClaim, KeyId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, KeyName),
            new(ClaimTypes.Role, Role.ToWire()),
        };
        if (TenantId is { } tenant)
        {
            claims.Add(new Claim(TenantClaim, tenant.ToString(CultureInfo.InvariantCulture)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>Minimal APIs bind a <see cref="Caller"/> parameter from the authenticated principal.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context)
    {
        var user = context.User;
        var keyId = user.FindFirstValue(KeyIdClaim);
        if (keyId is null || !Roles.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role))
        {
            throw new ApiProblem(StatusCodes.Status401Unauthorized, "Unauthorized", "An API key is required.");
        }

        var tenant = user.FindFirstValue(TenantClaim);
        return ValueTask.FromResult<Caller?>(new Caller(
            long.Parse(keyId, CultureInfo.InvariantCulture),
            user.FindFirstValue(ClaimTypes.Name) ?? "",
            tenant is null ? null : long.Parse(tenant, CultureInfo.InvariantCulture),
            role));
    }
}
