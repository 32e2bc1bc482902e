namespace Millwright.Sparkplug;

/// <summary>The metrics a birth certificate announced for one node or device: by alias and by name.</summary>
internal sealed class MetricTable
{
    private readonly Dictionary<ulong, (string Name, SparkplugDataType Type)> _byAlias = [];
    private readonly Dictionary<string, SparkplugDataType> _byName = new(StringComparer.Ordinal);

    public bool HasAlias(ulong alias) => _byAlias.ContainsKey(alias);

    public void Clear()
    {
        _byAlias.Clear();
        _byName.Clear();
    }

    /// <summary>Births are checked by the decoder for names, datatypes and unique aliases, so adding cannot clash.</summary>
    public void Add(SparkplugMetric metric)
    {
        _byName[metric.Name!] = metric.DataType;
        if (metric.Alias is { } alias)
        {
            _byAlias[alias] = (metric.Name!, metric.DataType);
        }
    }

    public bool TryResolve(SparkplugMetric metric, out string name, out SparkplugDataType type)
    {
        if (metric.Alias is { } alias)
        {
            if (_byAlias.TryGetValue(alias, out var known) && (metric.Name is null || metric.Name == known.Name))
            {
                (name, type) = known;
                return true;
            }
        }
        else if (metric.Name is not null && _byName.TryGetValue(metric.Name, out type))
        {
            name = metric.Name;
            return true;
        }

        name = string.Empty;
        type = SparkplugDataType.Unknown;
        return false;
    }
}
