namespace Millwright.Security;

/// <summary>Authorization policies by role; tenant policies also require the key to belong to a tenant.</summary>
internal static class Policies
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string TenantAdmin = "tenant_admin";
    public const string PlatformAdmin = "platform_admin";

    /// <summary>Tenant admins within their tenant, the platform admin for platform keys and events.</summary>
    public const string Admin = "admin";

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Viewer, p => p.RequireClaim(Caller.TenantClaim).RequireRole("viewer", "operator", "tenant_admin"));
        options.AddPolicy(Operator, p => p.RequireClaim(Caller.TenantClaim).RequireRole("operator", "tenant_admin"));
        options.AddPolicy(TenantAdmin, p => p.RequireClaim(Caller.TenantClaim).RequireRole("tenant_admin"));
        options.AddPolicy(PlatformAdmin, p => p.RequireRole("platform_admin"));
        options.AddPolicy(Admin, p => p.RequireRole("tenant_admin", "platform_admin"));
        // Every route needs a key unless it says otherwise (health, the OpenAPI document).
        options.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
