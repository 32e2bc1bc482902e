using Millwright.Features.MachineTypes;
using Millwright.Learning.Risk;

namespace Millwright.Features.Maintenance;

/// <summary>
/// Which tag of a machine type shows its wearing part's degradation. Recognised by name for now (the virtual
/// factory's kinds and tags named alike on real machines); a type without one of these has no risk estimate.
/// </summary>
internal static class RiskIndicators
{
    private static readonly DegradationIndicator[] Known =
    [
        new("vibration"),
        new("clogged_nozzles"),
        new("hydraulic_pressure", Direction: -1),
        // Its injection phase only: the holding and cooling phases read a few tens of bar.
        new("injection_pressure", IndicatorStatistic.Spread, Above: 600),
    ];

    public static DegradationIndicator? For(IEnumerable<TagDefinition> tags)
    {
        var names = tags.Where(t => t.DataType is "float" or "int").Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return Known.FirstOrDefault(k => names.Contains(k.Tag));
    }
}
