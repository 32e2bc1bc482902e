namespace Millwright.OpcUa.Transport;

/// <summary>
/// Collects the chunks of each response by request id until its final chunk (OPC 10000-6 6.7.2.2), enforcing the
/// client's MaxMessageSize and MaxChunkCount and the sequence numbers' order (6.7.2.4). Pure, so it is fuzzed.
/// </summary>
internal sealed class ChunkAssembler(TransportLimits limits)
{
    private readonly Dictionary<uint, (List<byte[]> Parts, long Size)> _partial = [];
    private uint? _lastSequence;

    /// <summary>A whole message, or an aborted one's error; null while more chunks are due.</summary>
    public (uint RequestId, TcpMessageType Type, byte[]? Body, OpcUaProtocolException? Abort)? Add(SecureChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        // Each chunk's sequence number is the previous one's plus one; it may wrap to a value below 1024 (6.7.2.4).
        if (_lastSequence is { } last && chunk.SequenceNumber != last + 1 && !(last > uint.MaxValue - 1024 && chunk.SequenceNumber < 1024))
        {
            throw new OpcUaProtocolException(StatusCode.BadSequenceNumberInvalid, $"sequence number {chunk.SequenceNumber} after {last}");
        }

        _lastSequence = chunk.SequenceNumber;
        if (chunk.ChunkType == TcpChunk.Abort)
        {
            _partial.Remove(chunk.RequestId);
            return (chunk.RequestId, chunk.Type, null, TcpFraming.ParseError(chunk.Payload, "the server aborted the response"));
        }

        _partial.TryGetValue(chunk.RequestId, out var entry);
        entry.Parts ??= [];
        entry.Parts.Add(chunk.Payload);
        entry.Size += chunk.Payload.Length;
        if (limits.MaxMessageSize != 0 && entry.Size > limits.MaxMessageSize)
        {
            _partial.Remove(chunk.RequestId);
            throw new OpcUaProtocolException(StatusCode.BadTcpMessageTooLarge, $"a response of more than {limits.MaxMessageSize} bytes");
        }

        if (limits.MaxChunkCount != 0 && entry.Parts.Count > limits.MaxChunkCount)
        {
            _partial.Remove(chunk.RequestId);
            throw new OpcUaProtocolException(StatusCode.BadTcpMessageTooLarge, $"a response of more than {limits.MaxChunkCount} chunks");
        }

        if (chunk.ChunkType != TcpChunk.Final)
        {
            _partial[chunk.RequestId] = entry;
            return null;
        }

        _partial.Remove(chunk.RequestId);
        var body = entry.Parts.Count == 1 ? entry.Parts[0] : entry.Parts.SelectMany(p => p).ToArray();
        return (chunk.RequestId, chunk.Type, body, null);
    }
}
