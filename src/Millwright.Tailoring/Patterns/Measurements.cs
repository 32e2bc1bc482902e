namespace Millwright.Tailoring.Patterns;

/// <summary>A body's measurements by ANSUR II name (case-insensitive, mm); reading a missing one names it.</summary>
public sealed class Measurements
{
    private readonly Dictionary<string, double> _values;

    public Measurements(IEnumerable<KeyValuePair<string, double>> values)
    {
        _values = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            _values[name] = value;
        }
    }

    public double this[string name] => _values.TryGetValue(name, out var value) && value > 0
        ? value
        : throw new ArgumentException($"the body has no positive {name}, which the pattern needs", nameof(name));

    public IReadOnlyDictionary<string, double> Values => _values;
}
