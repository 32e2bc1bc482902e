namespace Millwright.OpcUa.Transport;

/// <summary>
/// What this client announces in its Hello (OPC 10000-6 7.1.2.3) and enforces on what it receives: chunk size,
/// whole message size and chunk count. 0 means "no limit" on the wire; the client always sets limits of its own.
/// </summary>
internal sealed record TransportLimits(uint ReceiveBufferSize = 65536, uint SendBufferSize = 65536, uint MaxMessageSize = 16 << 20, uint MaxChunkCount = 512)
{
    /// <summary>The smallest buffer a UA-TCP peer may announce (7.1.2.3: 8192 bytes).</summary>
    public const uint MinBufferSize = 8192;

    public static readonly TransportLimits Default = new();
}
