namespace Millwright.OpcUa.Transport;

/// <summary>One UA-TCP message or chunk as read off the socket: its type, chunk byte ('F', 'C', 'A') and the bytes after the 8-byte header.</summary>
internal readonly record struct TcpChunk(TcpMessageType Type, byte ChunkType, byte[] Body)
{
    public const byte Final = (byte)'F';
    public const byte Intermediate = (byte)'C';
    public const byte Abort = (byte)'A';
}
