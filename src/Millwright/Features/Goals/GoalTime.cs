using System.Globalization;
using Millwright.Api;

namespace Millwright.Features.Goals;

/// <summary>
/// Reads one instant of a query string: epoch milliseconds, or ISO-8601 that names its zone (a time without a
/// zone means a different instant on every site, so it is refused rather than guessed).
/// </summary>
internal static class GoalTime
{
    // 9999-12-31T23:59:59.999Z: DateTimeOffset's own limit, so every accepted value prints back.
    private const long MaxMs = 253_402_300_799_999;

    public static long? Parse(Validator v, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.All(c => c is >= '0' and <= '9') && text.Length <= 15)
        {
            var ms = long.Parse(text, CultureInfo.InvariantCulture);
            if (ms <= MaxMs)
            {
                return ms;
            }
        }
        else if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) && parsed.Kind != DateTimeKind.Unspecified
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return instant.ToUnixTimeMilliseconds();
        }

        v.Add(field, "must be epoch milliseconds or ISO-8601 with a zone (e.g. 2026-01-05T06:00:00+01:00)");
        return null;
    }
}
