using System.Security.Cryptography;
using Millwright.Api;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Attachments (images, PDFs, text) stored with their idea and named by the SHA-256 of their bytes, so the same
/// file attached twice is one attachment and a client can tell it already holds one.
/// </summary>
internal static class IdeaAttachments
{
    /// <summary>Largest attachment; under the host's 1 MiB request-body limit.</summary>
    public const int MaxBytes = 1_000_000;

    public const int MaxPerIdea = 10;

    public static async Task<AttachmentDto> AddAsync(Session s, long ideaId, string? name, string? contentType, byte[] bytes)
    {
        await Makerspace.EnsureMayContributeAsync(s);
        var idea = await Ideas.VisibleRowAsync(s, ideaId);
        if (!Makerspace.IsModerator(s.Caller) && idea.AuthorKeyId != s.Caller.KeyId)
        {
            throw ApiProblem.Forbidden("Only the idea's author or a tenant admin may attach files to it.");
        }

        var v = new Validator();
        var fileName = v.Name("name", name);
        var type = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (bytes.Length == 0)
        {
            v.Add("body", "is empty: send the file's bytes as the request body");
        }
        else if (bytes.Length > MaxBytes)
        {
            v.Add("body", $"is {bytes.Length} bytes; attachments are limited to {MaxBytes} bytes");
        }
        else if (AttachmentTypes.Check(type, bytes) is { } wrong)
        {
            v.Add("contentType", wrong);
        }

        v.ThrowIfInvalid();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var held = await s.ScalarAsync<long>("SELECT COUNT(*) FROM idea_attachments WHERE tenant_id = @Tenant AND idea_id = @ideaId", new { s.Tenant, ideaId });
        var exists = await s.ScalarAsync<long>("SELECT COUNT(*) FROM idea_attachments WHERE tenant_id = @Tenant AND idea_id = @ideaId AND sha256 = @sha", new { s.Tenant, ideaId, sha }) > 0;
        if (!exists)
        {
            if (held >= MaxPerIdea)
            {
                throw ApiProblem.Conflict($"Idea {ideaId} already has {MaxPerIdea} attachments, the most an idea holds.");
            }

            await s.ExecuteAsync(
                """
                INSERT INTO idea_attachments (tenant_id, idea_id, sha256, name, content_type, size, data, added_by, created_at)
                VALUES (@Tenant, @ideaId, @sha, @fileName, @type, @size, @bytes, @Actor, @Now)
                """,
                new { s.Tenant, ideaId, sha, fileName, type, size = (long)bytes.Length, bytes, s.Caller.Actor, s.Now });
            await s.AuditAsync("attach", "idea", ideaId, $"attached '{fileName}' ({type}, {bytes.Length} bytes, sha256 {sha}) to idea '{idea.Title}'");
        }

        return (await ListAsync(s, ideaId)).Single(a => a.Sha256 == sha);
    }

    public static async Task<IReadOnlyList<AttachmentDto>> ListAsync(Session s, long ideaId)
    {
        await Makerspace.EnterAsync(s);
        await Ideas.VisibleRowAsync(s, ideaId);
        var rows = await s.QueryAsync<(string Sha256, string Name, string ContentType, long Size, string AddedBy, long CreatedAt)>(
            "SELECT sha256, name, content_type, size, added_by, created_at FROM idea_attachments WHERE tenant_id = @Tenant AND idea_id = @ideaId ORDER BY created_at, sha256",
            new { s.Tenant, ideaId });
        return rows.Select(r => new AttachmentDto(r.Sha256, r.Name, r.ContentType, r.Size, r.AddedBy, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt))).ToList();
    }

    public static async Task<(string ContentType, string Name, byte[] Data)> ReadAsync(Session s, long ideaId, string sha)
    {
        await Makerspace.EnterAsync(s);
        await Ideas.VisibleRowAsync(s, ideaId);
        var row = await s.QueryOneAsync<BlobRow>(
            "SELECT content_type, name, data FROM idea_attachments WHERE tenant_id = @Tenant AND idea_id = @ideaId AND sha256 = @sha",
            new { s.Tenant, ideaId, sha = sha.ToLowerInvariant() });
        return row is null
            ? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Idea {ideaId} has no attachment {sha}.")
            : (row.ContentType, row.Name, row.Data);
    }

    private sealed class BlobRow
    {
        public string ContentType { get; set; } = "";
        public string Name { get; set; } = "";
        public byte[] Data { get; set; } = [];
    }
}
