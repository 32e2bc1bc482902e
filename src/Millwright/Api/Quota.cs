using Millwright.Api;

namespace Millwright.Api;

/// <summary>Count quotas checked where rows are created, in the creating transaction.</summary>
internal static class Quota
{
    /// <summary>
    /// Fails with 403 naming the quota when the tenant already holds <paramref name="limit"/> rows counted by
    /// <paramref name="countSql"/> (which takes @Tenant). The tenant's row is locked first (a no-op update, the
    /// same SQL on both stores) so that two concurrent creates cannot both pass at the limit on PostgreSQL;
    /// SQLite writers are serialised already.
    /// </summary>
    public static async Task EnsureRoomAsync(Session s, long tenant, string quota, long limit, string countSql)
    {
        await s.ExecuteAsync("UPDATE tenants SET id = id WHERE id = @tenant", new { tenant });
        var used = await s.ScalarAsync<long>(countSql, new { Tenant = tenant });
        if (used >= limit)
        {
            throw Exceeded(quota, limit, used);
        }
    }

    public static ApiProblem Exceeded(string quota, long limit, long used) =>
        new(StatusCodes.Status403Forbidden, "Quota exceeded",
            $"The tenant's '{quota}' quota is {limit} and {used} are in use; remove some or ask the platform operator for more.")
        {
            Extensions = new Dictionary<string, object?> { ["quota"] = quota, ["limit"] = limit },
        };
}
