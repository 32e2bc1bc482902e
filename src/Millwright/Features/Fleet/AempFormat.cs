using System.Globalization;

namespace Millwright.Features.Fleet;

/// <summary>How values and times are written in both representations (xs:dateTime in UTC, invariant numbers).</summary>
internal static class AempFormat
{
    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);

    public static string Text(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
