namespace Millwright.OpcUa;

/// <summary>A browse name: namespace index and text (OPC 10000-3 8.3).</summary>
internal sealed record QualifiedName(ushort NamespaceIndex, string? Name)
{
    /// <summary>"2:Speed" or "Speed" (namespace 0), the form browse paths are written in.</summary>
    public static QualifiedName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && ushort.TryParse(text.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ns)
            ? new QualifiedName(ns, text[(colon + 1)..])
            : new QualifiedName(0, text);
    }

    public override string ToString() => NamespaceIndex == 0 ? Name ?? "" : $"{NamespaceIndex}:{Name}";
}
