using System.Runtime.InteropServices;

namespace Millwright.Storage.TimeSeries;

/// <summary>Encodes sorted points of one series into chunks and back, numbers or text by the series' kind.</summary>
internal static class ChunkCodec
{
    /// <summary>
    /// Encodes points that lie in one aligned hour as few chunks as the codec's bounds allow (points per chunk,
    /// distinct strings per text chunk): usually exactly one.
    /// </summary>
    public static void Encode(SeriesKind kind, ReadOnlySpan<long> times, ReadOnlySpan<double> numbers, ReadOnlySpan<string> texts, List<StoredChunk> output)
    {
        var start = 0;
        while (start < times.Length)
        {
            var end = Math.Min(times.Length, start + TimeSeriesChunk.MaxPoints);
            if (kind == SeriesKind.Text)
            {
                end = start + DistinctPrefix(texts[start..end]);
            }

            var body = kind == SeriesKind.Text
                ? TimeSeriesChunk.EncodeText(times[start..end], texts[start..end])
                : TimeSeriesChunk.Encode(times[start..end], numbers[start..end]);
            output.Add(new StoredChunk(times[start], times[end - 1], end - start, body));
            start = end;
        }
    }

    /// <summary>Decodes a stored chunk of the series' kind; a chunk of the wrong kind is corrupt data.</summary>
    public static void Decode(SeriesKind kind, ReadOnlySpan<byte> body, List<long> times, List<double> numbers, List<string> texts)
    {
        if (kind == SeriesKind.Text)
        {
            TimeSeriesChunk.DecodeText(body, times, texts);
        }
        else
        {
            TimeSeriesChunk.Decode(body, times, numbers);
        }
    }

    /// <summary>How many leading values fit one text chunk's dictionary.</summary>
    private static int DistinctPrefix(ReadOnlySpan<string> texts)
    {
        if (texts.Length <= TimeSeriesChunk.MaxTextEntries)
        {
            return texts.Length;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Length; i++)
        {
            if (seen.Add(texts[i]) && seen.Count > TimeSeriesChunk.MaxTextEntries)
            {
                return i;
            }
        }

        return texts.Length;
    }

    public static ReadOnlySpan<T> Span<T>(List<T> list) => CollectionsMarshal.AsSpan(list);
}
