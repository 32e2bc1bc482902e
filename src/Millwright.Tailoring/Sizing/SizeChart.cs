namespace Millwright.Tailoring.Sizing;

/// <summary>
/// A size chart in the manner of ISO 8559-2: sizes on a grid of girths (the primary dimension: chest or bust girth)
/// by heights (the secondary: stature); every control measurement of a size is its base value plus the grade rules
/// times the size's steps from the base size. The first control is the primary, the second the secondary.
/// </summary>
public sealed class SizeChart
{
    public SizeChart(string name, Sex sex, IReadOnlyList<ControlMeasurement> controls, IReadOnlyList<int> girthsMm, IReadOnlyList<int> heightsMm, int baseGirthMm, int baseHeightMm)
    {
        if (controls.Count < 2 || girthsMm.Count == 0 || heightsMm.Count == 0)
        {
            throw new ArgumentException("a chart needs a primary and a secondary control and at least one girth and height");
        }

        Name = name;
        Sex = sex;
        Controls = controls;
        GirthStep = girthsMm.Count > 1 ? girthsMm[1] - girthsMm[0] : 40;
        HeightStep = heightsMm.Count > 1 ? heightsMm[1] - heightsMm[0] : 60;
        var sizes = new List<Size>();
        for (var g = 0; g < girthsMm.Count; g++)
        {
            for (var h = 0; h < heightsMm.Count; h++)
            {
                var girthSteps = (girthsMm[g] - baseGirthMm) / (double)GirthStep;
                var heightSteps = (heightsMm[h] - baseHeightMm) / (double)HeightStep;
                var values = controls.Select(c => c.Base + (c.PerGirthStep * girthSteps) + (c.PerHeightStep * heightSteps)).ToArray();
                sizes.Add(new Size($"{girthsMm[g] / 10}-{heightsMm[h] / 10}", g, h, values));
            }
        }

        Sizes = sizes;
    }

    public string Name { get; }

    public Sex Sex { get; }

    public IReadOnlyList<ControlMeasurement> Controls { get; }

    public IReadOnlyList<Size> Sizes { get; }

    public int GirthStep { get; }

    public int HeightStep { get; }

    public Size this[string designation] => Sizes.FirstOrDefault(s => s.Designation == designation)
        ?? throw new ArgumentException($"{Name} has no size {designation}", nameof(designation));

    /// <summary>
    /// The size with the least weighted squared deviation over the control measurements (each in units of its
    /// tolerance), ties to the earlier size (smaller girth, then shorter); the alterations are body minus size.
    /// <paramref name="body"/> gives a value per control name (case-insensitive); a missing one is an error.
    /// </summary>
    public SizeFit Fit(IReadOnlyDictionary<string, double> body)
    {
        var values = new double[Controls.Count];
        for (var i = 0; i < Controls.Count; i++)
        {
            values[i] = Lookup(body, Controls[i].Name);
        }

        Size? best = null;
        var bestScore = double.PositiveInfinity;
        foreach (var size in Sizes)
        {
            var score = 0.0;
            for (var i = 0; i < Controls.Count; i++)
            {
                var d = (values[i] - size.Values[i]) / Controls[i].Tolerance;
                score += Controls[i].Weight * d * d;
            }

            if (score < bestScore)
            {
                (best, bestScore) = (size, score);
            }
        }

        var alterations = values.Select((v, i) => v - best!.Values[i]).ToArray();
        return new SizeFit(best!, Controls, alterations, bestScore);
    }

    private static double Lookup(IReadOnlyDictionary<string, double> body, string name)
    {
        if (body.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var (key, v) in body)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        throw new ArgumentException($"the body has no {name}, a control measurement of the size chart", nameof(body));
    }
}
