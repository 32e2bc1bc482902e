using System.Globalization;

namespace Millwright.OpcUa;

/// <summary>
/// A node's identity in a server (OPC 10000-3 8.2): namespace index and a numeric, string, GUID or opaque id. The text
/// form is the one of OPC 10000-6 5.3.1.10: <c>ns=2;s=Machine/Speed</c>, <c>i=85</c>, <c>ns=1;g=…</c>, <c>ns=1;b=base64</c>.
/// </summary>
internal sealed record NodeId
{
    public static readonly NodeId Null = new(0, 0u);

    public NodeId(ushort namespaceIndex, uint id)
    {
        NamespaceIndex = namespaceIndex;
        Type = NodeIdType.Numeric;
        Numeric = id;
    }

    public NodeId(ushort namespaceIndex, string id)
    {
        NamespaceIndex = namespaceIndex;
        Type = NodeIdType.String;
        Text = id;
    }

    public NodeId(ushort namespaceIndex, Guid id)
    {
        NamespaceIndex = namespaceIndex;
        Type = NodeIdType.Guid;
        Guid = id;
    }

    public NodeId(ushort namespaceIndex, byte[] opaque)
    {
        NamespaceIndex = namespaceIndex;
        Type = NodeIdType.Opaque;
        Opaque = opaque;
    }

    public ushort NamespaceIndex { get; }

    public NodeIdType Type { get; }

    public uint Numeric { get; }

    public string? Text { get; }

    public Guid Guid { get; }

    public byte[]? Opaque { get; }

    public bool IsNull => Type switch
    {
        NodeIdType.Numeric => Numeric == 0 && NamespaceIndex == 0,
        NodeIdType.String => string.IsNullOrEmpty(Text) && NamespaceIndex == 0,
        NodeIdType.Guid => Guid == Guid.Empty && NamespaceIndex == 0,
        _ => (Opaque is null || Opaque.Length == 0) && NamespaceIndex == 0,
    };

    public static NodeId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a node id (expected i=, s=, g= or b=, optionally after ns=N;).");
    }

    public static bool TryParse(string text, out NodeId id)
    {
        id = Null;
        ushort ns = 0;
        var rest = text.AsSpan().Trim();
        if (rest.StartsWith("ns="))
        {
            var semicolon = rest.IndexOf(';');
            if (semicolon < 0 || !ushort.TryParse(rest[3..semicolon], NumberStyles.None, CultureInfo.InvariantCulture, out ns))
            {
                return false;
            }

            rest = rest[(semicolon + 1)..];
        }

        if (rest.Length < 2 || rest[1] != '=')
        {
            return false;
        }

        var value = rest[2..];
        switch (rest[0])
        {
            case 'i' when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric):
                id = new NodeId(ns, numeric);
                return true;
            case 's':
                id = new NodeId(ns, value.ToString());
                return true;
            case 'g' when Guid.TryParse(value, out var guid):
                id = new NodeId(ns, guid);
                return true;
            case 'b':
                try
                {
                    id = new NodeId(ns, Convert.FromBase64String(value.ToString()));
                    return true;
                }
                catch (FormatException)
                {
                    return false;
                }

            default:
                return false;
        }
    }

    public bool Equals(NodeId? other) =>
        other is not null && NamespaceIndex == other.NamespaceIndex && Type == other.Type && Type switch
        {
            NodeIdType.Numeric => Numeric == other.Numeric,
            NodeIdType.String => string.Equals(Text, other.Text, StringComparison.Ordinal),
            NodeIdType.Guid => Guid == other.Guid,
            _ => (Opaque ?? []).AsSpan().SequenceEqual(other.Opaque ?? []),
        };

    public override int GetHashCode() => HashCode.Combine(NamespaceIndex, Type, Numeric, Text, Guid, Opaque?.Length);

    public override string ToString()
    {
        var prefix = NamespaceIndex == 0 ? "" : $"ns={NamespaceIndex.ToString(CultureInfo.InvariantCulture)};";
        return Type switch
        {
            NodeIdType.Numeric => $"{prefix}i={Numeric.ToString(CultureInfo.InvariantCulture)}",
            NodeIdType.String => $"{prefix}s={Text}",
            NodeIdType.Guid => $"{prefix}g={Guid}",
            _ => $"{prefix}b={Convert.ToBase64String(Opaque ?? [])}",
        };
    }
}
