using Millwright.Api;

namespace Millwright.Features.History;

/// <summary>
/// The tenant's recorded changes of policy (migration 0009): a KPI board compares the plant before and after one.
/// </summary>
internal static class PolicyChanges
{
    public static Task<long> RecordAsync(Session s, long at, string name, string description) =>
        s.ScalarAsync<long>(
            "INSERT INTO policy_changes (tenant_id, at, name, description, created_at) VALUES (@Tenant, @at, @name, @description, @Now) RETURNING id",
            new { s.Tenant, at, name, description, s.Now });

    public static Task<IReadOnlyList<PolicyChange>> ListAsync(Session s) =>
        s.QueryAsync<PolicyChange>(
            "SELECT id AS Id, at AS At, name AS Name, description AS Description FROM policy_changes WHERE tenant_id = @Tenant ORDER BY at, id",
            new { s.Tenant });
}
