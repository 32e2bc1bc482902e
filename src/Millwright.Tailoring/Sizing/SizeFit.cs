namespace Millwright.Tailoring.Sizing;

/// <summary>
/// A body's best base size and, per control measurement (the chart's order), the alteration from it in mm
/// (body minus size: positive means the pattern must grow there).
/// </summary>
public sealed record SizeFit(Size Size, IReadOnlyList<ControlMeasurement> Controls, IReadOnlyList<double> Alterations, double Score)
{
    public double AlterationOf(string name)
    {
        for (var i = 0; i < Controls.Count; i++)
        {
            if (string.Equals(Controls[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return Alterations[i];
            }
        }

        throw new ArgumentException($"{name} is not a control measurement of this chart", nameof(name));
    }
}
