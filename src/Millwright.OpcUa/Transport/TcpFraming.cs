using System.Buffers.Binary;
using Millwright.OpcUa.Encoding;

namespace Millwright.OpcUa.Transport;

/// <summary>
/// The UA-TCP message header (OPC 10000-6 7.1.2.2): MessageType (3 bytes), chunk type (1 byte), MessageSize (UInt32,
/// the whole message including this header). Parsing is separate from the socket so the fuzzer can drive it.
/// </summary>
internal static class TcpFraming
{
    public const int HeaderSize = 8;

    /// <summary>Checks a header against the receive buffer size; returns the type, chunk byte and the body length to read.</summary>
    public static (TcpMessageType Type, byte Chunk, int BodyLength) ParseHeader(ReadOnlySpan<byte> header, uint receiveBufferSize)
    {
        var type = (TcpMessageType)(header[0] | (header[1] << 8) | (header[2] << 16));
        if (!Enum.IsDefined(type))
        {
            throw new OpcUaProtocolException(StatusCode.BadTcpMessageTypeInvalid, $"unknown UA-TCP message type 0x{(uint)type:X6}");
        }

        var chunk = header[3];
        if (chunk is not (TcpChunk.Final or TcpChunk.Intermediate or TcpChunk.Abort)
            || (chunk != TcpChunk.Final && type is not (TcpMessageType.Message or TcpMessageType.Open or TcpMessageType.Close)))
        {
            throw new OpcUaProtocolException(StatusCode.BadTcpMessageTypeInvalid, $"chunk type 0x{chunk:X2} is not allowed on a {type} message");
        }

        var size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (size < HeaderSize || size > receiveBufferSize)
        {
            throw new OpcUaProtocolException(StatusCode.BadTcpMessageTooLarge, $"a {type} message of {size} bytes (the receive buffer is {receiveBufferSize})");
        }

        return (type, chunk, (int)size - HeaderSize);
    }

    public static void WriteHeader(UaWriter writer, TcpMessageType type, byte chunk)
    {
        var code = (uint)type;
        writer.WriteByte((byte)code);
        writer.WriteByte((byte)(code >> 8));
        writer.WriteByte((byte)(code >> 16));
        writer.WriteByte(chunk);
        writer.WriteUInt32(0); // patched with the size once the body is written
    }

    public static byte[] Finish(UaWriter writer)
    {
        writer.PatchUInt32(4, (uint)writer.Length);
        return writer.ToArray();
    }

    /// <summary>Hello: ProtocolVersion, ReceiveBufferSize, SendBufferSize, MaxMessageSize, MaxChunkCount, EndpointUrl (7.1.2.3).</summary>
    public static byte[] Hello(TransportLimits limits, string endpointUrl)
    {
        var w = new UaWriter();
        WriteHeader(w, TcpMessageType.Hello, TcpChunk.Final);
        w.WriteUInt32(0);
        w.WriteUInt32(limits.ReceiveBufferSize);
        w.WriteUInt32(limits.SendBufferSize);
        w.WriteUInt32(limits.MaxMessageSize);
        w.WriteUInt32(limits.MaxChunkCount);
        w.WriteString(endpointUrl);
        return Finish(w);
    }

    /// <summary>Acknowledge (7.1.2.4): the server's buffer sizes and limits; its ReceiveBufferSize bounds our chunks.</summary>
    public static TransportLimits ParseAcknowledge(byte[] body)
    {
        var r = new UaReader(body);
        r.ReadUInt32(); // protocol version: 0 is the only one
        var receive = r.ReadUInt32();
        var send = r.ReadUInt32();
        var maxMessage = r.ReadUInt32();
        var maxChunks = r.ReadUInt32();
        if (receive < TransportLimits.MinBufferSize || send < TransportLimits.MinBufferSize)
        {
            throw new OpcUaProtocolException(StatusCode.BadTcpMessageTooLarge, $"the server's buffers ({receive}/{send}) are below the 8192 bytes UA-TCP requires");
        }

        return new TransportLimits(receive, send, maxMessage, maxChunks);
    }

    /// <summary>Error (7.1.2.5) and an aborted chunk's body: a status code and a reason.</summary>
    public static OpcUaProtocolException ParseError(ReadOnlySpan<byte> body, string context)
    {
        var r = new UaReader(body.ToArray());
        var status = r.ReadStatusCode();
        var reason = r.Remaining > 0 ? r.ReadString() : null;
        return new OpcUaProtocolException(status, $"{context}: {reason ?? "no reason given"}");
    }
}
