using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa.Tests;

/// <summary>UA-TCP framing and chunk assembly (OPC 10000-6 7.1.2, 6.7.2) without a socket.</summary>
public sealed class TransportTests
{
    [Fact]
    public void A_hello_carries_the_limits_and_the_endpoint_url()
    {
        var hello = TcpFraming.Hello(new TransportLimits(8192, 16384, 1 << 20, 16), "opc.tcp://h:4840");
        var (type, chunk, length) = TcpFraming.ParseHeader(hello.AsSpan(0, 8), 65536);
        var r = new UaReader(hello.AsMemory(8));

        Assert.Equal((TcpMessageType.Hello, TcpChunk.Final, hello.Length - 8), (type, chunk, length));
        Assert.Equal("48454C46", Convert.ToHexString(hello[..4]));
        Assert.Equal((0u, 8192u, 16384u, 1u << 20, 16u), (r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32()));
        Assert.Equal("opc.tcp://h:4840", r.ReadString());
    }

    [Theory]
    [InlineData("58595A4608000000")] // XYZ: no such message type
    [InlineData("48454C4308000000")] // an intermediate chunk of a Hello
    [InlineData("4D534746FFFF0000")] // a MSG larger than the receive buffer
    [InlineData("4D53474604000000")] // a size smaller than the header itself
    public void Bad_headers_are_refused(string hex)
    {
        Assert.Throws<OpcUaProtocolException>(() => TcpFraming.ParseHeader(Convert.FromHexString(hex), 8192));
    }

    [Fact]
    public void Chunks_of_one_response_are_joined_in_order_and_an_abort_carries_the_servers_reason()
    {
        var assembler = new ChunkAssembler(TransportLimits.Default);

        Assert.Null(assembler.Add(Chunk(1, 7, TcpChunk.Intermediate, [1, 2])));
        var whole = assembler.Add(Chunk(2, 7, TcpChunk.Final, [3]));
        Assert.Null(assembler.Add(Chunk(3, 8, TcpChunk.Intermediate, [9])));
        var aborted = assembler.Add(Chunk(4, 8, TcpChunk.Abort, Error(StatusCode.BadTcpMessageTooLarge, "too big")));

        Assert.Equal(new byte[] { 1, 2, 3 }, whole!.Value.Body);
        Assert.Equal(StatusCode.BadTcpMessageTooLarge, aborted!.Value.Abort!.Status);
        Assert.Contains("too big", aborted.Value.Abort.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_gap_too_many_chunks_or_too_many_bytes_are_refused()
    {
        var gap = new ChunkAssembler(TransportLimits.Default);
        gap.Add(Chunk(10, 1, TcpChunk.Final, [1]));
        var chunks = new ChunkAssembler(new TransportLimits(MaxChunkCount: 2));
        chunks.Add(Chunk(1, 1, TcpChunk.Intermediate, [1]));
        chunks.Add(Chunk(2, 1, TcpChunk.Intermediate, [1]));
        var bytes = new ChunkAssembler(new TransportLimits(MaxMessageSize: 3));
        bytes.Add(Chunk(1, 1, TcpChunk.Intermediate, [1, 2]));

        Assert.Equal(StatusCode.BadSequenceNumberInvalid, Assert.Throws<OpcUaProtocolException>(() => gap.Add(Chunk(12, 2, TcpChunk.Final, [1]))).Status);
        Assert.Equal(StatusCode.BadTcpMessageTooLarge, Assert.Throws<OpcUaProtocolException>(() => chunks.Add(Chunk(3, 1, TcpChunk.Final, [1]))).Status);
        Assert.Equal(StatusCode.BadTcpMessageTooLarge, Assert.Throws<OpcUaProtocolException>(() => bytes.Add(Chunk(2, 1, TcpChunk.Final, [3, 4]))).Status);
    }

    [Fact]
    public void A_secure_chunk_round_trips_and_a_foreign_security_policy_is_refused()
    {
        var bytes = SecureChunk.Write(TcpMessageType.Message, TcpChunk.Final, 5, 6, 7, 8, [1, 2, 3]);
        var parsed = SecureChunk.Parse(new TcpChunk(TcpMessageType.Message, TcpChunk.Final, bytes[8..]));
        var w = new UaWriter();
        w.WriteUInt32(1);
        w.WriteString("http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256");
        w.WriteByteString(null);
        w.WriteByteString(null);
        w.WriteUInt32(1);
        w.WriteUInt32(1);

        Assert.Equal((5u, 6u, 7u, 8u), (parsed.ChannelId, parsed.TokenId, parsed.SequenceNumber, parsed.RequestId));
        Assert.Equal(new byte[] { 1, 2, 3 }, parsed.Payload);
        Assert.Equal(StatusCode.BadSecurityPolicyRejected,
            Assert.Throws<OpcUaProtocolException>(() => SecureChunk.Parse(new TcpChunk(TcpMessageType.Open, TcpChunk.Final, w.ToArray()))).Status);
    }

    private static SecureChunk Chunk(uint sequence, uint request, byte type, byte[] payload) =>
        new(TcpMessageType.Message, type, 1, null, 1, sequence, request, payload);

    private static byte[] Error(StatusCode status, string reason)
    {
        var w = new UaWriter();
        w.WriteStatusCode(status);
        w.WriteString(reason);
        return w.ToArray();
    }
}
