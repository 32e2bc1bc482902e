using Millwright.Api;

namespace Millwright.Features.Embroidery;

/// <summary>Every SQL statement on the embroidery tables (migration 0011); all scoped by the session's tenant.</summary>
internal static class EmbroideryStore
{
    private const string Columns =
        "d.id, d.name, d.fabric, d.source_sha256 AS SourceSha256, d.dst_sha256 AS DstSha256, f.size AS DstBytes, d.width_mm AS WidthMm, d.height_mm AS HeightMm, " +
        "d.stitches, d.colour_changes AS ColourChanges, d.trims, d.jumps, d.threads, d.run_seconds AS RunSeconds, d.warnings, d.created_at AS CreatedAt";

    private const string From = "FROM embroidery_designs d JOIN embroidery_files f ON f.tenant_id = d.tenant_id AND f.sha256 = d.dst_sha256";

    public const string DesignCount = "SELECT COUNT(*) FROM embroidery_designs WHERE tenant_id = @Tenant";

    /// <summary>
    /// Stores the bytes under their hash unless the tenant holds them already (the same file is kept once). One
    /// statement, so two uploads of the same file at once both succeed rather than one meeting the key.
    /// </summary>
    public static Task PutFileAsync(Session s, string sha256, string mediaType, byte[] data) =>
        s.ExecuteAsync(
            """
            INSERT INTO embroidery_files (tenant_id, sha256, media_type, size, data, created_at) VALUES (@Tenant, @sha256, @mediaType, @size, @data, @Now)
            ON CONFLICT (tenant_id, sha256) DO NOTHING
            """,
            new { s.Tenant, sha256, mediaType, size = (long)data.Length, data, s.Now });

    public static Task<byte[]?> FileAsync(Session s, string sha256) =>
        s.QueryOneAsync<byte[]>("SELECT data FROM embroidery_files WHERE tenant_id = @Tenant AND sha256 = @sha256", new { s.Tenant, sha256 });

    public static Task<long> InsertDesignAsync(Session s, DesignRow d) =>
        s.ScalarAsync<long>(
            """
            INSERT INTO embroidery_designs (tenant_id, name, fabric, source_sha256, dst_sha256, width_mm, height_mm, stitches, colour_changes, trims, jumps,
                threads, run_seconds, warnings, created_by, created_at)
            VALUES (@Tenant, @Name, @Fabric, @SourceSha256, @DstSha256, @WidthMm, @HeightMm, @Stitches, @ColourChanges, @Trims, @Jumps,
                @Threads, @RunSeconds, @Warnings, @Actor, @Now) RETURNING id
            """,
            new
            {
                s.Tenant, d.Name, d.Fabric, d.SourceSha256, d.DstSha256, d.WidthMm, d.HeightMm, d.Stitches, d.ColourChanges, d.Trims, d.Jumps,
                d.Threads, d.RunSeconds, d.Warnings, s.Caller.Actor, s.Now,
            });

    public static Task<DesignRow?> DesignAsync(Session s, long id) =>
        s.QueryOneAsync<DesignRow>($"SELECT {Columns} {From} WHERE d.tenant_id = @Tenant AND d.id = @id", new { s.Tenant, id });

    public static Task<IReadOnlyList<DesignRow>> DesignsAsync(Session s, long after, int limit) =>
        s.QueryAsync<DesignRow>($"SELECT {Columns} {From} WHERE d.tenant_id = @Tenant AND d.id > @after ORDER BY d.id LIMIT @take", new { s.Tenant, after, take = limit + 1 });

    /// <summary>Whether any design of the tenant has this stitch file: what a machine may fetch.</summary>
    public static async Task<bool> IsStitchFileAsync(Session s, string sha256) =>
        await s.ScalarAsync<long>("SELECT COUNT(*) FROM embroidery_designs WHERE tenant_id = @Tenant AND dst_sha256 = @sha256", new { s.Tenant, sha256 }) > 0;

    public static Task LinkOrderAsync(Session s, long orderId, long designId) =>
        s.ExecuteAsync("INSERT INTO embroidery_orders (tenant_id, order_id, design_id) VALUES (@Tenant, @orderId, @designId)", new { s.Tenant, orderId, designId });
}
