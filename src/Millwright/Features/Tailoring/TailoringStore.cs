using Millwright.Api;

namespace Millwright.Features.Tailoring;

/// <summary>Every SQL statement on the made-to-measure tables (migration 0028); all scoped by the session's tenant.</summary>
internal static class TailoringStore
{
    private const string CustomerColumns = "id, name, sex, given, completed, warnings, created_at AS CreatedAt";

    private const string OrderColumns =
        "order_id AS OrderId, customer_id AS CustomerId, garment, fabric, fabric_width_mm AS FabricWidthMm, sex, size, alterations, body, " +
        "dxf_sha256 AS DxfSha256, marker_sha256 AS MarkerSha256, svg_sha256 AS SvgSha256, marker_svg_sha256 AS MarkerSvgSha256, " +
        "marker_length_mm AS MarkerLengthMm, efficiency, pieces, cut_length_mm AS CutLengthMm, seam_length_mm AS SeamLengthMm, created_at AS CreatedAt";

    public static Task<long> InsertCustomerAsync(Session s, CustomerRow c) =>
        s.ScalarAsync<long>(
            """
            INSERT INTO tailoring_customers (tenant_id, name, sex, given, completed, warnings, created_by, created_at)
            VALUES (@Tenant, @Name, @Sex, @Given, @Completed, @Warnings, @Actor, @Now) RETURNING id
            """,
            new { s.Tenant, c.Name, c.Sex, c.Given, c.Completed, c.Warnings, s.Caller.Actor, s.Now });

    public const string CustomerCount = "SELECT COUNT(*) FROM tailoring_customers WHERE tenant_id = @Tenant";

    /// <summary>Replaces a customer's name, sex and measurements; false when the tenant has no such customer.</summary>
    public static async Task<bool> UpdateCustomerAsync(Session s, long id, CustomerRow c) =>
        await s.ExecuteAsync(
            """
            UPDATE tailoring_customers SET name = @Name, sex = @Sex, given = @Given, completed = @Completed, warnings = @Warnings
            WHERE tenant_id = @Tenant AND id = @id
            """,
            new { s.Tenant, id, c.Name, c.Sex, c.Given, c.Completed, c.Warnings }) > 0;

    /// <summary>
    /// Deletes a customer; the garments ordered for them stay (an order is a record of what was made, and keeps the
    /// measurements it was drafted from) but no longer point at the profile. False when the tenant has no such customer.
    /// </summary>
    public static async Task<bool> DeleteCustomerAsync(Session s, long id)
    {
        await s.ExecuteAsync("UPDATE tailoring_orders SET customer_id = NULL WHERE tenant_id = @Tenant AND customer_id = @id", new { s.Tenant, id });
        return await s.ExecuteAsync("DELETE FROM tailoring_customers WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }) > 0;
    }

    public static Task<CustomerRow?> CustomerAsync(Session s, long id) =>
        s.QueryOneAsync<CustomerRow>($"SELECT {CustomerColumns} FROM tailoring_customers WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });

    public static Task<IReadOnlyList<CustomerRow>> CustomersAsync(Session s, long after, int limit) =>
        s.QueryAsync<CustomerRow>($"SELECT {CustomerColumns} FROM tailoring_customers WHERE tenant_id = @Tenant AND id > @after ORDER BY id LIMIT @take",
            new { s.Tenant, after, take = limit + 1 });

    /// <summary>Stores the bytes under their hash unless the tenant holds them already; one statement, so concurrent orders of the same file both succeed.</summary>
    public static Task PutFileAsync(Session s, PatternDraft.File file) =>
        s.ExecuteAsync(
            """
            INSERT INTO tailoring_files (tenant_id, sha256, media_type, size, data, created_at) VALUES (@Tenant, @Sha256, @MediaType, @size, @Data, @Now)
            ON CONFLICT (tenant_id, sha256) DO NOTHING
            """,
            new { s.Tenant, file.Sha256, file.MediaType, size = (long)file.Data.Length, file.Data, s.Now });

    public static Task<byte[]?> FileAsync(Session s, string sha256) =>
        s.QueryOneAsync<byte[]>("SELECT data FROM tailoring_files WHERE tenant_id = @Tenant AND sha256 = @sha256", new { s.Tenant, sha256 });

    public static Task<long> FileSizeAsync(Session s, string sha256) =>
        s.ScalarAsync<long>("SELECT COALESCE(MAX(size), 0) FROM tailoring_files WHERE tenant_id = @Tenant AND sha256 = @sha256", new { s.Tenant, sha256 });

    /// <summary>Whether a made-to-measure order of the tenant sends this file to a machine (its DXF or marker): what a machine may fetch.</summary>
    public static async Task<bool> IsMachineFileAsync(Session s, string sha256) =>
        await s.ScalarAsync<long>("SELECT COUNT(*) FROM tailoring_orders WHERE tenant_id = @Tenant AND (dxf_sha256 = @sha256 OR marker_sha256 = @sha256)",
            new { s.Tenant, sha256 }) > 0;

    public static Task InsertOrderAsync(Session s, MtmOrderRow o) =>
        s.ExecuteAsync(
            """
            INSERT INTO tailoring_orders (tenant_id, order_id, customer_id, garment, fabric, fabric_width_mm, sex, size, alterations, body,
                dxf_sha256, marker_sha256, svg_sha256, marker_svg_sha256, marker_length_mm, efficiency, pieces, cut_length_mm, seam_length_mm, created_at)
            VALUES (@Tenant, @OrderId, @CustomerId, @Garment, @Fabric, @FabricWidthMm, @Sex, @Size, @Alterations, @Body,
                @DxfSha256, @MarkerSha256, @SvgSha256, @MarkerSvgSha256, @MarkerLengthMm, @Efficiency, @Pieces, @CutLengthMm, @SeamLengthMm, @Now)
            """,
            new
            {
                s.Tenant, o.OrderId, o.CustomerId, o.Garment, o.Fabric, o.FabricWidthMm, o.Sex, o.Size, o.Alterations, o.Body,
                o.DxfSha256, o.MarkerSha256, o.SvgSha256, o.MarkerSvgSha256, o.MarkerLengthMm, o.Efficiency, o.Pieces, o.CutLengthMm, o.SeamLengthMm, s.Now,
            });

    public static Task<MtmOrderRow?> OrderAsync(Session s, long orderId) =>
        s.QueryOneAsync<MtmOrderRow>($"SELECT {OrderColumns} FROM tailoring_orders WHERE tenant_id = @Tenant AND order_id = @orderId", new { s.Tenant, orderId });

    public static Task<IReadOnlyList<MtmOrderRow>> OrdersAsync(Session s, long after, int limit) =>
        s.QueryAsync<MtmOrderRow>($"SELECT {OrderColumns} FROM tailoring_orders WHERE tenant_id = @Tenant AND order_id > @after ORDER BY order_id LIMIT @take",
            new { s.Tenant, after, take = limit + 1 });

    /// <summary>The cut and seam lengths and pieces of those of <paramref name="orderIds"/> that are made-to-measure garments.</summary>
    public static async Task<Dictionary<long, (double CutLengthMm, double SeamLengthMm, int Pieces)>> GarmentLengthsAsync(Session s, IReadOnlyList<long> orderIds)
    {
        var result = new Dictionary<long, (double, double, int)>();
        foreach (var chunk in orderIds.Chunk(100))
        {
            // Ids are longs from the store, so writing them into the statement is safe and keeps it one round trip.
            foreach (var (orderId, cut, seam, pieces) in await s.QueryAsync<(long OrderId, double Cut, double Seam, long Pieces)>(
                $"SELECT order_id, cut_length_mm, seam_length_mm, pieces FROM tailoring_orders WHERE tenant_id = @Tenant AND order_id IN ({string.Join(",", chunk)})", new { s.Tenant }))
            {
                result[orderId] = (cut, seam, (int)pieces);
            }
        }

        return result;
    }
}
