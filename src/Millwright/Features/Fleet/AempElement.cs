namespace Millwright.Features.Fleet;

/// <summary>
/// One ISO 15143-3 data element (e.g. CumulativeOperatingHours): its children, the tag whose points give it a
/// time (<see cref="BaseTag"/>), its unit, and the name of the time-series document that lists it.
/// </summary>
internal sealed record AempElement(string Name, string SeriesRoot, string BaseTag, string Unit, AempDerivation Derivation, IReadOnlyList<AempField> Fields)
{
    /// <summary>Every tag the element reads, base tag first.</summary>
    public IEnumerable<string> Tags =>
        new[] { BaseTag }.Concat(Fields.Where(f => f.Source == AempSource.Tag).Select(f => f.Tag!)).Distinct(StringComparer.Ordinal);
}
