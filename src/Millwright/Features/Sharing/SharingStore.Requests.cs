using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>The <c>sharing_requests</c> table.</summary>
internal static partial class SharingStore
{
    private const string RequestColumns =
        "id, tenant_id, title, steps, material, part_mass_kg, quantity, tolerance_mm, size_x_mm, size_y_mm, size_z_mm, certifications, due_at, budget, " +
        "max_distance_km, latitude, longitude, response_hours, status, created_at, awarded_at";

    public const string OpenRequestsCount = "SELECT COUNT(*) FROM sharing_requests WHERE tenant_id = @Tenant AND status = 'open'";

    public static Task<IReadOnlyList<RequestRow>> OwnRequestsAsync(Session s, long after, int limit) =>
        s.QueryAsync<RequestRow>($"SELECT {RequestColumns} FROM sharing_requests WHERE tenant_id = @Tenant AND id > @after ORDER BY id LIMIT @take",
            new { s.Tenant, after, take = limit + 1 });

    public static Task<RequestRow?> OwnRequestAsync(Session s, long id) =>
        s.QueryOneAsync<RequestRow>($"SELECT {RequestColumns} FROM sharing_requests WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });

    /// <summary>Across tenants: open requests of every tenant but the caller's, due after <paramref name="now"/>; the caller filters them by its offers.</summary>
    public static Task<IReadOnlyList<RequestRow>> OpenRequestsOfOthersAsync(Session s, long now) =>
        s.QueryAsync<RequestRow>($"SELECT {RequestColumns} FROM sharing_requests WHERE status = 'open' AND tenant_id <> @Tenant AND due_at > @now ORDER BY id",
            new { s.Tenant, now });

    /// <summary>Across tenants: the request a bid addressed to the caller is about (the bid is the caller's right to see it).</summary>
    public static Task<RequestRow?> RequestOfBidAsync(Session s, BidRow bid) =>
        s.QueryOneAsync<RequestRow>($"SELECT {RequestColumns} FROM sharing_requests WHERE tenant_id = @TenantId AND id = @RequestId", new { bid.TenantId, bid.RequestId });

    public static Task<long> InsertRequestAsync(Session s, RequestTerms t) =>
        s.ScalarAsync<long>(
            """
            INSERT INTO sharing_requests (tenant_id, title, steps, material, part_mass_kg, quantity, tolerance_mm, size_x_mm, size_y_mm, size_z_mm, certifications,
                due_at, budget, max_distance_km, latitude, longitude, response_hours, status, created_at)
            VALUES (@Tenant, @Title, @Steps, @Material, @PartMassKg, @Quantity, @ToleranceMm, @X, @Y, @Z, @Certifications, @DueAt, @Budget, @MaxDistanceKm,
                @Latitude, @Longitude, @ResponseHours, 'open', @Now) RETURNING id
            """,
            new
            {
                s.Tenant, t.Title, Steps = SharingJson.Write(t.Steps), t.Material, t.PartMassKg, t.Quantity, t.ToleranceMm, t.Size.X, t.Size.Y, t.Size.Z,
                Certifications = SharingJson.Write(t.Certifications), t.DueAt, t.Budget, t.MaxDistanceKm, t.Latitude, t.Longitude, t.ResponseHours, s.Now,
            });

    /// <summary>
    /// Locks an open request for the bid being asked (a no-op write: the row lock on PostgreSQL), so that a concurrent
    /// cancel either comes first (and the bid is refused) or waits and closes the new bid too; false when it is not open.
    /// </summary>
    public static async Task<bool> LockOpenRequestAsync(Session s, long id) =>
        await s.ExecuteAsync("UPDATE sharing_requests SET status = status WHERE tenant_id = @Tenant AND id = @id AND status = 'open'", new { s.Tenant, id }) == 1;

    /// <summary>Moves an open request to <paramref name="status"/>; false when it was no longer open.</summary>
    public static async Task<bool> CloseRequestAsync(Session s, long id, string status) =>
        await s.ExecuteAsync(
            "UPDATE sharing_requests SET status = @status, awarded_at = CASE WHEN @status = 'awarded' THEN @Now ELSE NULL END WHERE tenant_id = @Tenant AND id = @id AND status = 'open'",
            new { s.Tenant, id, status, s.Now }) == 1;
}
