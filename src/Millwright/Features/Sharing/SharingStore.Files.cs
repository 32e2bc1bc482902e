using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>
/// The <c>sharing_files</c> table: the buyer's rows, readable by the buyer and by the providers of its bids on that
/// request (asked, answered or awarded; not declined or closed).
/// </summary>
internal static partial class SharingStore
{
    private const string FileColumns = "id, tenant_id, request_id, name, kind, content_type, size_bytes, sha256, created_at";

    /// <summary>
    /// Whether the caller may read the request's files: it is the buyer's own request, or the caller provides one of
    /// its live bids. The request's owner is taken from the bid, so a provider never names the buyer's tenant itself.
    /// </summary>
    public static async Task<bool> MayReadFilesAsync(Session s, long requestId) =>
        await s.ScalarAsync<long>(
            """
            SELECT COUNT(*) FROM sharing_requests r
            WHERE r.id = @requestId AND (r.tenant_id = @Tenant OR EXISTS (
                SELECT 1 FROM sharing_bids b WHERE b.tenant_id = r.tenant_id AND b.request_id = r.id AND b.provider_tenant_id = @Tenant
                AND b.status IN ('pending', 'accepted', 'countered', 'awarded')))
            """,
            new { s.Tenant, requestId }) > 0;

    /// <summary>The request's files; call only after <see cref="MayReadFilesAsync"/>.</summary>
    public static Task<IReadOnlyList<SharedFileRow>> FilesAsync(Session s, long requestId) =>
        s.QueryAsync<SharedFileRow>($"SELECT {FileColumns} FROM sharing_files WHERE request_id = @requestId ORDER BY id", new { requestId });

    /// <summary>One of the request's files; call only after <see cref="MayReadFilesAsync"/> (or for the caller's own request).</summary>
    public static Task<SharedFileRow?> FileAsync(Session s, long requestId, long id) =>
        s.QueryOneAsync<SharedFileRow>($"SELECT {FileColumns} FROM sharing_files WHERE request_id = @requestId AND id = @id", new { requestId, id });

    public static Task<byte[]> FileContentAsync(Session s, long owner, long id) =>
        s.ScalarAsync<byte[]>("SELECT content FROM sharing_files WHERE tenant_id = @owner AND id = @id", new { owner, id });

    public static Task<long> FileCountAsync(Session s, long requestId) =>
        s.ScalarAsync<long>("SELECT COUNT(*) FROM sharing_files WHERE tenant_id = @Tenant AND request_id = @requestId", new { s.Tenant, requestId });

    public static Task<long> InsertFileAsync(Session s, long requestId, string name, string kind, string contentType, byte[] content, string sha256) =>
        s.ScalarAsync<long>(
            """
            INSERT INTO sharing_files (tenant_id, request_id, name, kind, content_type, size_bytes, sha256, content, created_at)
            VALUES (@Tenant, @requestId, @name, @kind, @contentType, @size, @sha256, @content, @Now) RETURNING id
            """,
            new { s.Tenant, requestId, name, kind, contentType, size = content.Length, sha256, content, s.Now });
}
