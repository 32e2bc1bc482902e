namespace Millwright.OpcUa;

/// <summary>
/// A structure of a type the decoder may not know (OPC 10000-6 5.2.2.15): the encoding's type id and its body as
/// bytes. <see cref="Decoded"/> holds the structure when the client knows the type (identity tokens, filters, notifications).
/// </summary>
internal sealed record ExtensionObject(NodeId TypeId, byte Encoding, byte[]? Body, object? Decoded = null)
{
    public const byte NoBody = 0;
    public const byte BinaryBody = 1;
    public const byte XmlBody = 2;

    public static readonly ExtensionObject Null = new(NodeId.Null, NoBody, null);

    public override string ToString() => Decoded?.ToString() ?? $"ExtensionObject {TypeId} ({Body?.Length ?? 0} bytes)";
}
