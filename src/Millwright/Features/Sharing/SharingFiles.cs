using System.Security.Cryptography;
using Millwright.Api;
using Millwright.Sharing;

namespace Millwright.Features.Sharing;

/// <summary>
/// Files a buyer attaches to its request (drawings, programs, embroidery designs). Each is checked before it is
/// stored, so before anyone can download it: its size (at most <see cref="MaxBytes"/>, at most
/// <see cref="MaxPerRequest"/> per request) and its type by content (<see cref="FileSniffer"/>). The buyer and the
/// providers it asked for a quote read them; every provider's download is in both audit logs.
/// </summary>
internal static class SharingFiles
{
    public const int MaxBytes = 10 << 20;
    public const int MaxPerRequest = 20;

    public static async Task<SharedFileDto> AttachAsync(Session s, long requestId, string? kind, string? name, byte[] data)
    {
        var v = new Validator();
        var fileName = v.Name("name", name);
        if (kind is null || !FileSniffer.Kinds.Contains(kind))
        {
            v.Add("kind", $"is required: one of {string.Join(", ", FileSniffer.Kinds)}");
        }

        v.ThrowIfInvalid();
        var request = await SharingStore.OwnRequestAsync(s, requestId) ?? throw ApiProblem.NotFound("request", requestId);
        if (request.Status != RequestStatus.Open || !await SharingStore.LockOpenRequestAsync(s, requestId))
        {
            throw ApiProblem.Conflict($"Request {requestId} is {(request.Status == RequestStatus.Open ? "no longer open" : request.Status)}; files are attached to an open request.");
        }

        if (await SharingStore.FileCountAsync(s, requestId) >= MaxPerRequest)
        {
            throw ApiProblem.Conflict($"Request {requestId} holds {MaxPerRequest} files, the most a request may hold.");
        }

        if (FileSniffer.Sniff(kind!, data, out var reason) is not { } contentType)
        {
            throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported file", $"'{fileName}' was refused: {reason}.")
            {
                Extensions = new Dictionary<string, object?> { ["kind"] = kind },
            };
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(data));
        var id = await SharingStore.InsertFileAsync(s, requestId, fileName, kind!, contentType, data, sha);
        await s.AuditAsync("attach", "sharing_request", requestId, $"attached {kind} '{fileName}' ({contentType}, {data.Length} bytes, sha256 {sha[..12]}…) as file {id}");
        return (await SharingStore.FileAsync(s, requestId, id))!.AsDto();
    }

    public static async Task<IReadOnlyList<SharedFileDto>> ListAsync(Session s, long requestId)
    {
        if (!await SharingStore.MayReadFilesAsync(s, requestId))
        {
            throw ApiProblem.NotFound("request", requestId);
        }

        return (await SharingStore.FilesAsync(s, requestId)).Select(f => f.AsDto()).ToList();
    }

    /// <summary>The file's row and bytes for the buyer or a provider it asked; a provider's download is audited on both sides.</summary>
    public static async Task<(SharedFileRow File, byte[] Content)> DownloadAsync(Session s, long requestId, long fileId)
    {
        if (!await SharingStore.MayReadFilesAsync(s, requestId) || await SharingStore.FileAsync(s, requestId, fileId) is not { } file)
        {
            throw ApiProblem.NotFound("file", fileId);
        }

        var content = await SharingStore.FileContentAsync(s, file.TenantId, fileId);
        if (file.TenantId != s.Tenant)
        {
            var provider = await ProviderSession.TenantNameAsync(s, s.Tenant);
            await s.AuditAsync("download", "sharing_request", requestId, $"downloaded the buyer's {file.Kind} '{file.Name}' (file {fileId})");
            await ProviderSession.For(s, file.TenantId, provider).AuditAsync("download", "sharing_request", requestId,
                $"{provider} downloaded {file.Kind} '{file.Name}' (file {fileId})");
        }

        return (file, content);
    }
}
