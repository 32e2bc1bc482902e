using System.Text.Json;
using Millwright.Api;

namespace Millwright.Features.Embroidery;

/// <summary>Every SQL statement on the embroidery tables (migrations 0011, 0029, 0038); all scoped by the session's tenant.</summary>
internal static class EmbroideryStore
{
    private const string Columns =
        "d.id, d.name, d.fabric, d.source_sha256 AS SourceSha256, d.dst_sha256 AS DstSha256, f.size AS DstBytes, d.width_mm AS WidthMm, d.height_mm AS HeightMm, " +
        "d.stitches, d.colour_changes AS ColourChanges, d.trims, d.jumps, d.threads, d.run_seconds AS RunSeconds, d.warnings, d.created_at AS CreatedAt";

    private const string SetupColumns =
        "machine_id AS MachineId, stitches_per_minute AS StitchesPerMinute, trim_seconds AS TrimSeconds, change_seconds AS ColourChangeSeconds, " +
        "rethread_seconds AS RethreadSeconds, needles, updated_at AS UpdatedAt, heads";

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

    /// <summary>
    /// The design of one of the given orders (whose stitch file is <paramref name="sha256"/>, when given): what a
    /// machine holding their jobs may fetch, or is sewing; null when none.
    /// </summary>
    public static async Task<DesignRow?> DesignOfOrdersAsync(Session s, string? sha256, IReadOnlyList<long> orderIds)
    {
        if (orderIds.Count == 0)
        {
            return null;
        }

        // Ids are longs from the store (the jobs a machine holds: a handful), so writing them into the statement is safe.
        return await s.QueryOneAsync<DesignRow>(
            $"""
            SELECT {Columns} {From} JOIN embroidery_orders e ON e.tenant_id = d.tenant_id AND e.design_id = d.id
            WHERE d.tenant_id = @Tenant AND (@sha256 IS NULL OR d.dst_sha256 = @sha256) AND e.order_id IN ({string.Join(",", orderIds.Distinct().Take(1000))})
            ORDER BY e.order_id LIMIT 1
            """,
            new { s.Tenant, sha256 });
    }

    /// <summary>Design orders still open: order id to design id.</summary>
    public static async Task<Dictionary<long, long>> OpenDesignOrdersAsync(Session s) =>
        (await s.QueryAsync<(long OrderId, long DesignId)>(
            $"""
            SELECT e.order_id, e.design_id FROM embroidery_orders e JOIN orders o ON o.tenant_id = e.tenant_id AND o.id = e.order_id
            WHERE e.tenant_id = @Tenant AND o.status NOT IN ('{Production.OrderStatus.Completed}', '{Production.OrderStatus.Cancelled}')
            """,
            new { s.Tenant })).ToDictionary(r => r.OrderId, r => r.DesignId);

    public static async Task<bool> MachineExistsAsync(Session s, long machineId) =>
        await s.ScalarAsync<long>("SELECT COUNT(*) FROM machines WHERE tenant_id = @Tenant AND id = @machineId", new { s.Tenant, machineId }) > 0;

    public static async Task<MachineSetup?> SetupAsync(Session s, long machineId) =>
        (await s.QueryOneAsync<SetupRow>($"SELECT {SetupColumns} FROM embroidery_machines WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId }))?.AsSetup();

    public static async Task<IReadOnlyList<MachineSetup>> SetupsAsync(Session s) =>
        [.. (await s.QueryAsync<SetupRow>($"SELECT {SetupColumns} FROM embroidery_machines WHERE tenant_id = @Tenant ORDER BY machine_id", new { s.Tenant })).Select(r => r.AsSetup())];

    /// <summary>Records a machine's set-up, replacing what was recorded.</summary>
    public static Task PutSetupAsync(Session s, MachineSetup m) =>
        s.ExecuteAsync(
            """
            INSERT INTO embroidery_machines (tenant_id, machine_id, stitches_per_minute, trim_seconds, change_seconds, rethread_seconds, needles, updated_at, heads)
            VALUES (@Tenant, @MachineId, @StitchesPerMinute, @TrimSeconds, @ColourChangeSeconds, @RethreadSeconds, @needles, @Now, @heads)
            ON CONFLICT (tenant_id, machine_id) DO UPDATE SET stitches_per_minute = excluded.stitches_per_minute, trim_seconds = excluded.trim_seconds,
                change_seconds = excluded.change_seconds, rethread_seconds = excluded.rethread_seconds, needles = excluded.needles, updated_at = excluded.updated_at,
                heads = excluded.heads
            """,
            new { s.Tenant, m.MachineId, StitchesPerMinute = (long)m.StitchesPerMinute, m.TrimSeconds, m.ColourChangeSeconds, m.RethreadSeconds, needles = JsonSerializer.Serialize(m.Needles), s.Now, heads = (long)m.Heads });

    public static Task LinkOrderAsync(Session s, long orderId, long designId) =>
        s.ExecuteAsync("INSERT INTO embroidery_orders (tenant_id, order_id, design_id) VALUES (@Tenant, @orderId, @designId)", new { s.Tenant, orderId, designId });
}
