using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Millwright.Simulator.Jobs;

/// <summary>
/// Fetches a cut job's DXF and marker from the platform with the cutter's own device credential (HTTP Basic),
/// checks each file's size and SHA-256 against the command, and reads the marker (checked against the DXF). A
/// garment is named by its files' hashes, so the last few plans are kept and a job sent again is not fetched again.
/// </summary>
internal sealed class PatternFetcher : IDisposable
{
    private const int Kept = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly HttpClient _http;
    private readonly Dictionary<string, CutPlan> _cache = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public PatternFetcher(Uri platform, string username, string secret, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(platform);
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = platform;
        _http.Timeout = Patience;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")));
    }

    /// <summary>Files fetched over the network (not from the cache).</summary>
    public int Fetched { get; private set; }

    public async Task<CutPlan> FetchAsync(GarmentReference garment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(garment);
        var key = garment.Dxf.Sha256 + garment.Marker.Sha256;
        if (_cache.TryGetValue(key, out var known))
        {
            return known;
        }

        var dxf = await FileAsync(garment.Dxf, "DXF", cancellationToken);
        var marker = await FileAsync(garment.Marker, "marker", cancellationToken);
        CutPlan plan;
        try
        {
            plan = MarkerReader.Read(marker, dxf);
        }
        catch (MarkerFormatException e)
        {
            throw new PatternFetchException($"marker {garment.Marker.Sha256[..12]}: {e.Message}");
        }

        _cache[key] = plan;
        _order.Enqueue(key);
        if (_order.Count > Kept)
        {
            _cache.Remove(_order.Dequeue());
        }

        return plan;
    }

    public void Dispose() => _http.Dispose();

    private async Task<byte[]> FileAsync(PlatformFile file, string what, CancellationToken cancellationToken)
    {
        var name = $"{what} {file.Sha256[..12]}";
        byte[] data;
        try
        {
            using var response = await _http.GetAsync(new Uri(file.Path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new PatternFetchException($"{name}: the platform answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength is { } length && length != file.Bytes)
            {
                throw new PatternFetchException($"{name}: {length} bytes, the command said {file.Bytes}");
            }

            // Never more than the command announced: a wrong or hostile answer cannot fill the machine's memory.
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            data = new byte[file.Bytes];
            var filled = 0;
            while (filled < data.Length)
            {
                var read = await body.ReadAsync(data.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    throw new PatternFetchException($"{name}: the file ended after {filled} of {file.Bytes} bytes");
                }

                filled += read;
            }

            if (await body.ReadAsync(new byte[1], cancellationToken) != 0)
            {
                throw new PatternFetchException($"{name}: the file is longer than the {file.Bytes} bytes announced");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new PatternFetchException($"{name}: cannot fetch it: {e.Message}");
        }

        if (Convert.ToHexStringLower(SHA256.HashData(data)) != file.Sha256)
        {
            throw new PatternFetchException($"{name}: the file fetched has another SHA-256");
        }

        Fetched++;
        return data;
    }
}
