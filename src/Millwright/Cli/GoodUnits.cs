using System.Globalization;

namespace Millwright.Cli;

/// <summary>Good units one simulated machine made between two of its snapshots: the rise of its parts counter less the rise of its scrap counter.</summary>
internal sealed class GoodUnits(string capability, string partsTag)
{
    private const string ScrapTag = "scrap_count";
    private long? _parts;
    private long _scrap;

    public string Capability => capability;

    /// <summary>Good units since the previous snapshot (none at the first).</summary>
    public long Next(IReadOnlyDictionary<string, object> snapshot)
    {
        var parts = Convert.ToInt64(snapshot[partsTag], CultureInfo.InvariantCulture);
        var scrap = snapshot.TryGetValue(ScrapTag, out var s) ? Convert.ToInt64(s, CultureInfo.InvariantCulture) : 0;
        var good = _parts is { } before ? Math.Max(0, parts - before - (scrap - _scrap)) : 0;
        (_parts, _scrap) = (parts, scrap);
        return good;
    }
}
