namespace Millwright.Fleet;

/// <summary>Collects every problem of one document so the caller sees them all at once.</summary>
internal sealed class FormatErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new FleetFormatException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}
