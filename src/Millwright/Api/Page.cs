namespace Millwright.Api;

/// <summary>Keyset paging: ask for the next page with <c>?after={nextAfter}</c>; null means the last page.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, long? NextAfter);

internal readonly record struct PageRequest(int Limit, long After)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static PageRequest From(int? limit, long? after)
    {
        var v = new Validator();
        if (limit is < 1 or > MaxLimit)
        {
            v.Add("limit", $"must be between 1 and {MaxLimit}");
        }

        if (after is < 0)
        {
            v.Add("after", "must not be negative");
        }

        v.ThrowIfInvalid();
        return new PageRequest(limit ?? DefaultLimit, after ?? 0);
    }

    /// <summary>Rows are fetched with LIMIT Limit+1, so one extra row tells that another page exists.</summary>
    public Page<TOut> ToPage<TRow, TOut>(IReadOnlyList<TRow> rows, Func<TRow, long> id, Func<TRow, TOut> map)
    {
        var more = rows.Count > Limit;
        var items = rows.Take(Limit).Select(map).ToList();
        return new Page<TOut>(items, more ? id(rows[Limit - 1]) : null);
    }

    /// <summary>A LIKE pattern that matches <paramref name="text"/> anywhere, case-insensitively, with wildcards escaped.</summary>
    public static string? Contains(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : "%" + text.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
