using System.Text.Json;
using Millwright.Features.Calendars;

namespace Millwright.Features.Sharing;

/// <summary>The JSON columns of the sharing tables (lists of names, materials, steps, windows as [start, end] pairs).</summary>
internal static class SharingJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException("a sharing column holds null");

    public static string WriteWindows(IEnumerable<Interval> windows) => Write(windows.Select(w => new[] { w.Start, w.End }));

    public static List<Interval> ReadWindows(string json) => Read<long[][]>(json).Select(p => new Interval(p[0], p[1])).ToList();

    public static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
