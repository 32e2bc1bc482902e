using Millwright.OpcUa.Encoding;

namespace Millwright.OpcUa.Transport;

/// <summary>
/// The security and sequence headers of an OPN, MSG or CLO chunk (OPC 10000-6 6.7.2): SecureChannelId, then for OPN
/// the asymmetric header (policy URI, sender certificate, receiver thumbprint) or else the symmetric one (TokenId),
/// then SequenceNumber and RequestId; <see cref="Payload"/> is the rest (with policy None, no padding or signature).
/// </summary>
internal sealed record SecureChunk(TcpMessageType Type, byte ChunkType, uint ChannelId, string? PolicyUri, uint TokenId, uint SequenceNumber, uint RequestId, byte[] Payload)
{
    public const string NonePolicy = "http://opcfoundation.org/UA/SecurityPolicy#None";

    public static SecureChunk Parse(TcpChunk chunk)
    {
        var r = new UaReader(chunk.Body);
        var channelId = r.ReadUInt32();
        string? policy = null;
        uint token = 0;
        if (chunk.Type == TcpMessageType.Open)
        {
            policy = r.ReadString();
            r.ReadByteString(); // sender certificate: none under policy None
            r.ReadByteString(); // receiver certificate thumbprint
            if (policy != NonePolicy)
            {
                throw new OpcUaProtocolException(StatusCode.BadSecurityPolicyRejected, $"the server answered with security policy '{policy}'; this client speaks None only");
            }
        }
        else
        {
            token = r.ReadUInt32();
        }

        var sequence = r.ReadUInt32();
        var request = r.ReadUInt32();
        return new SecureChunk(chunk.Type, chunk.ChunkType, channelId, policy, token, sequence, request, chunk.Body[r.Position..]);
    }

    /// <summary>Writes one chunk: header, security header, sequence header and <paramref name="payload"/>.</summary>
    public static byte[] Write(TcpMessageType type, byte chunkType, uint channelId, uint tokenId, uint sequence, uint requestId, ReadOnlySpan<byte> payload)
    {
        var w = new UaWriter();
        TcpFraming.WriteHeader(w, type, chunkType);
        w.WriteUInt32(channelId);
        if (type == TcpMessageType.Open)
        {
            w.WriteString(NonePolicy);
            w.WriteByteString(null);
            w.WriteByteString(null);
        }
        else
        {
            w.WriteUInt32(tokenId);
        }

        w.WriteUInt32(sequence);
        w.WriteUInt32(requestId);
        w.WriteRaw(payload);
        return TcpFraming.Finish(w);
    }

    /// <summary>Bytes before the payload in a symmetric (MSG/CLO) chunk: header 8, channel 4, token 4, sequence 8.</summary>
    public const int SymmetricOverhead = 24;
}
