using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Stitches;

namespace Millwright.Simulator.Jobs;

/// <summary>
/// Fetches a job's stitch file from the platform with the machine's own device credential (HTTP Basic), checks
/// its size and SHA-256 against the command, and reads it with the DST reader. Files are named by their content,
/// so a fetched one is kept (the last few) and the same design sent again is not fetched again.
/// </summary>
internal sealed class DesignFetcher : IDisposable
{
    private const int Kept = 8;
    private const int MaxNeedlePlanBytes = 256 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly HttpClient _http;
    private readonly Dictionary<string, StitchPattern> _cache = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public DesignFetcher(Uri platform, string username, string secret, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(platform);
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = platform;
        _http.Timeout = Patience;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")));
    }

    /// <summary>Files fetched over the network (not from the cache), for tests and the status line.</summary>
    public int Fetched { get; private set; }

    /// <summary>The design's stitches; throws <see cref="DesignFetchException"/> saying what went wrong.</summary>
    public async Task<StitchPattern> FetchAsync(DesignReference design, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (_cache.TryGetValue(design.Sha256, out var known))
        {
            return known;
        }

        byte[] data;
        try
        {
            using var response = await _http.GetAsync(new Uri(design.Path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new DesignFetchException($"design {design.Sha256[..12]}: the platform answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength is { } length && length != design.Bytes)
            {
                throw new DesignFetchException($"design {design.Sha256[..12]}: {length} bytes, the command said {design.Bytes}");
            }

            data = await ReadAsync(response, design, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DesignFetchException($"design {design.Sha256[..12]}: cannot fetch it: {e.Message}");
        }

        if (Convert.ToHexStringLower(SHA256.HashData(data)) != design.Sha256)
        {
            throw new DesignFetchException($"design {design.Sha256[..12]}: the file fetched has another SHA-256");
        }

        StitchPattern pattern;
        try
        {
            pattern = DstReader.Read(data).Pattern;
        }
        catch (DstFormatException e)
        {
            throw new DesignFetchException($"design {design.Sha256[..12]}: not a valid DST: {e.Message}");
        }

        Fetched++;
        Keep(design.Sha256, pattern);
        return pattern;
    }

    /// <summary>
    /// The design's thread plan on this machine (<c>{path}/needles</c>), read fresh each time: it follows the needles'
    /// set-up, which changes between jobs. Throws <see cref="DesignFetchException"/> saying what went wrong.
    /// </summary>
    public async Task<NeedleSchedule> FetchNeedlesAsync(DesignReference design, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(design);
        try
        {
            using var response = await _http.GetAsync(new Uri(design.Path + "/needles", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new DesignFetchException($"design {design.Sha256[..12]}: the platform answered {(int)response.StatusCode} {response.ReasonPhrase} for its needle plan");
            }

            if (response.Content.Headers.ContentLength is > MaxNeedlePlanBytes)
            {
                throw new DesignFetchException($"design {design.Sha256[..12]}: a needle plan of more than {MaxNeedlePlanBytes} bytes");
            }

            using var plan = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            return new NeedleSchedule(Steps(plan.RootElement, "first"), Steps(plan.RootElement, "repeat"));
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or FormatException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DesignFetchException($"design {design.Sha256[..12]}: cannot read its needle plan: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static List<NeedleChange> Steps(JsonElement plan, string piece) =>
        [.. plan.GetProperty(piece).GetProperty("steps").EnumerateArray().Select(s => new NeedleChange(s.GetProperty("needle").GetInt32(), s.GetProperty("rethread").GetBoolean()))];

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, DesignReference design, CancellationToken cancellationToken)
    {
        // Never more than the command announced: a wrong or hostile answer cannot fill the machine's memory.
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var data = new byte[design.Bytes];
        var filled = 0;
        while (filled < data.Length)
        {
            var read = await body.ReadAsync(data.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                throw new DesignFetchException($"design {design.Sha256[..12]}: the file ended after {filled} of {design.Bytes} bytes");
            }

            filled += read;
        }

        if (await body.ReadAsync(new byte[1], cancellationToken) != 0)
        {
            throw new DesignFetchException($"design {design.Sha256[..12]}: the file is longer than the {design.Bytes} bytes announced");
        }

        return data;
    }

    private void Keep(string sha, StitchPattern pattern)
    {
        _cache[sha] = pattern;
        _order.Enqueue(sha);
        if (_order.Count > Kept)
        {
            _cache.Remove(_order.Dequeue());
        }
    }
}
