using System.Reflection;

namespace Millwright.Api;

/// <summary>
/// A <c>from=</c>/<c>to=</c> query time, bound by the one rule every route shares (<see cref="TimeRange.ParseTime"/>):
/// epoch milliseconds or ISO 8601 with "Z" or an offset. A time without a zone is refused with a problem naming
/// the parameter instead of being read as the server's local time, which would return plausible, wrong data.
/// </summary>
internal sealed record ZonedTime(long UnixMs)
{
    public DateTimeOffset At => DateTimeOffset.FromUnixTimeMilliseconds(UnixMs);

    /// <summary>Minimal APIs bind parameters (and [AsParameters] members) of this type through here.</summary>
    public static ValueTask<ZonedTime?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parameter);
        var name = parameter.Name ?? "time";
        // [AsParameters] records name their members "From"; the query string and the problem say "from".
        name = char.ToLowerInvariant(name[0]) + name[1..];
        var text = context.Request.Query[name].ToString();
        return ValueTask.FromResult(text.Length == 0 ? null : new ZonedTime(TimeRange.ParseTime(name, text)));
    }
}
