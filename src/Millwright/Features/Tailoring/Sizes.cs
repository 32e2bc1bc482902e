using Millwright.Tailoring;
using Millwright.Tailoring.Sizing;

namespace Millwright.Features.Tailoring;

/// <summary>A body's base size on its sex's chart (docs/made-to-measure.md, "Size system"), as the API shows it.</summary>
internal static class Sizes
{
    public static SizeDto Of(Sex sex, IReadOnlyDictionary<string, double> body)
    {
        var chart = SizeCharts.For(sex);
        var fit = chart.Fit(body);
        return new SizeDto(chart.Name, fit.Size.Designation,
            fit.Controls.Select((c, i) => (c.Name, Value: Math.Round(fit.Alterations[i], 1))).ToDictionary(p => p.Name, p => p.Value));
    }
}
