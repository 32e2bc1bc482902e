using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Sharing;

/// <summary>
/// The one way sharing acts in another tenant: the caller's own transaction, scoped to the provider (or buyer)
/// whose data the marketplace needs, with an actor that says who it acts for, so that the other tenant's audit log
/// names the marketplace and the counterpart rather than a key of its own.
/// </summary>
internal static class ProviderSession
{
    public static Session For(Session s, long tenant, string counterpart) =>
        tenant == s.Tenant ? s : s.ActingFor(new Caller(0, $"marketplace for {counterpart}", tenant, Role.Operator));

    public static Task<string> TenantNameAsync(Session s, long tenant) =>
        s.ScalarAsync<string>("SELECT name FROM tenants WHERE id = @tenant", new { tenant });
}
