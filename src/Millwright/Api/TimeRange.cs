using System.Globalization;

namespace Millwright.Api;

/// <summary>
/// A query's time range, [From, To) in Unix milliseconds. Times on the wire carry their zone: ISO 8601 with
/// "Z" or an offset, or epoch milliseconds. A time without a zone is refused rather than guessed, because a
/// plant's local time and UTC differ by hours and a wrong guess returns plausible, wrong data. Every route
/// with <c>from=</c>/<c>to=</c> reads them by this rule: as strings here, or bound as <see cref="ZonedTime"/>.
/// </summary>
internal readonly record struct TimeRange(long From, long To)
{
    public long Length => To - From;

    public static TimeRange Parse(string? from, string? to, TimeSpan defaultLength, TimeSpan maxLength, long now)
    {
        var end = to is null ? now : ParseTime("to", to);
        var start = from is null ? end - (long)defaultLength.TotalMilliseconds : ParseTime("from", from);
        return Check(start, end, maxLength);
    }

    private static TimeRange Check(long start, long end, TimeSpan maxLength)
    {
        if (start >= end)
        {
            throw ApiProblem.Invalid("from", "must be before 'to'");
        }

        if (end - start > (long)maxLength.TotalMilliseconds)
        {
            throw ApiProblem.Invalid("to", $"the range may span at most {Describe(maxLength)}");
        }

        return new TimeRange(start, end);
    }

    /// <summary>[from, to) of bound query times: defaults to the <paramref name="defaultLength"/> (24 hours) before 'to' or now.</summary>
    public static TimeRange Of(ZonedTime? from, ZonedTime? to, long now, TimeSpan maxLength, TimeSpan? defaultLength = null)
    {
        var end = to?.UnixMs ?? now;
        var start = from?.UnixMs ?? end - (long)(defaultLength ?? TimeSpan.FromDays(1)).TotalMilliseconds;
        return Check(start, end, maxLength);
    }

    public static long ParseTime(string field, string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
        {
            return ms is >= -62135596800000 and <= 253402300799999
                ? ms
                : throw ApiProblem.Invalid(field, "epoch milliseconds out of range");
        }

        // Zone required: 'Z' or an offset at the end, after the time of day.
        var zoned = text.EndsWith('Z') || text.EndsWith('z')
            || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':' && text.Contains('T', StringComparison.Ordinal));
        if (!zoned || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw ApiProblem.Invalid(field, $"'{text}' is not a time with a zone: use ISO 8601 like 2026-11-22T08:00:00Z or 2026-11-22T09:00:00+01:00, or epoch milliseconds");
        }

        return time.ToUnixTimeMilliseconds();
    }

    /// <summary>"500ms", "30s", "1m", "15m", "1h", "1d"; at least 1 ms.</summary>
    public static long ParseDuration(string field, string text)
    {
        var unit = text.TrimStart("0123456789".ToCharArray());
        var digits = text[..^unit.Length];
        long scale = unit switch
        {
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => 0,
        };
        if (scale == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 1_000_000)
        {
            throw ApiProblem.Invalid(field, $"'{text}' is not a duration like 500ms, 30s, 1m, 15m, 1h or 1d");
        }

        return count * scale;
    }

    private static string Describe(TimeSpan span) => span.TotalDays >= 1 ? $"{span.TotalDays:0.#} days" : $"{span.TotalHours:0.#} hours";
}
