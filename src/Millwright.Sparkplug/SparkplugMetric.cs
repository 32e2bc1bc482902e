namespace Millwright.Sparkplug;

/// <summary>
/// One decoded metric (specification 6.4.6). <see cref="Value"/> has the CLR type documented on
/// <see cref="SparkplugDataType"/>; when the payload carried no datatype (DATA messages may omit it) the
/// value is the raw protobuf field (uint, ulong, float, double, bool, string, byte[]) until a session
/// resolves it against the birth certificate.
/// </summary>
public sealed record SparkplugMetric
{
    public string? Name { get; init; }

    public ulong? Alias { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public SparkplugDataType DataType { get; init; }

    public object? Value { get; init; }

    public bool IsNull { get; init; }

    public bool IsHistorical { get; init; }

    public bool IsTransient { get; init; }

    /// <summary>PropertySet (6.4.8) as a map; nested sets are maps, property set lists are lists of maps.</summary>
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }
}
