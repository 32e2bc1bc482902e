namespace Millwright.OpcUa.Encoding;

/// <summary>
/// Bounds the decoder enforces on untrusted bytes (OPC 10000-6 5.2.2: encoders and decoders limit lengths and
/// nesting). Lengths are also checked against the bytes left, so no length field makes the decoder allocate more
/// than the message it was given.
/// </summary>
internal sealed record DecodingLimits(int MaxStringLength = 1 << 20, int MaxByteStringLength = 1 << 22, int MaxArrayLength = 1 << 20, int MaxDepth = 10)
{
    public static readonly DecodingLimits Default = new();
}
