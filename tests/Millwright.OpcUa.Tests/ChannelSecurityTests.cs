using System.Security.Cryptography.X509Certificates;
using Millwright.OpcUa.Crypto;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa.Tests;

/// <summary>
/// The chunk protection on its own: two ends with each other's certificates (the second plays the server), so a
/// chunk one writes must open on the other, and any changed byte must be refused.
/// </summary>
public sealed class ChannelSecurityTests
{
    private static readonly Lazy<(X509Certificate2 A, X509Certificate2 B)> Certificates = new(() =>
        (ApplicationCertificate.Create("urn:test:a", DateTimeOffset.UtcNow), ApplicationCertificate.Create("urn:test:b", DateTimeOffset.UtcNow)));

    [Fact]
    public void P_SHA256_matches_the_TLS_1_2_PRF_test_vector()
    {
        // The IETF TLS working group's PRF test vector for SHA-256: secret, "test label" + seed, first 32 bytes.
        var secret = Convert.FromHexString("9BBE436BA940F017B17652849A71DB35");
        var seed = System.Text.Encoding.ASCII.GetBytes("test label").Concat(Convert.FromHexString("A0BA9F936CDA311827A6F796FFD5198C")).ToArray();

        var output = Basic256Sha256.PSha256(secret, seed, 100);

        Assert.Equal("E3F229BA727BE17B8D122620557CD453C2AAB21D07C3D495329B52D4E61EDB5A", Convert.ToHexString(output[..32]));
        Assert.Equal(100, output.Length);
    }

    [Theory]
    [InlineData((int)MessageSecurityMode.Sign)]
    [InlineData((int)MessageSecurityMode.SignAndEncrypt)]
    public void A_chunk_written_by_one_end_opens_on_the_other(int mode)
    {
        using var pair = Pair((MessageSecurityMode)mode);
        var (client, server) = pair;
        var body = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();

        var open = Parse(server.WriteOpen(TcpChunk.Final, 5, 1, 9, body));
        var message = Parse(server.WriteSymmetric(TcpMessageType.Message, TcpChunk.Final, 5, 2, 10, body));

        var opened = client.Read(open);
        var read = client.Read(message);
        Assert.Equal(body, opened.Payload);
        Assert.Equal((1u, 9u), (opened.SequenceNumber, opened.RequestId));
        Assert.Equal(body, read.Payload);
        Assert.Equal((2u, 10u, 77u), (read.SequenceNumber, read.RequestId, read.TokenId));
    }

    [Theory]
    [InlineData((int)MessageSecurityMode.Sign)]
    [InlineData((int)MessageSecurityMode.SignAndEncrypt)]
    public void A_changed_byte_anywhere_after_the_header_is_refused(int mode)
    {
        using var pair = Pair((MessageSecurityMode)mode);
        var (client, server) = pair;
        var open = server.WriteOpen(TcpChunk.Final, 5, 1, 9, [1, 2, 3]);
        var message = server.WriteSymmetric(TcpMessageType.Message, TcpChunk.Final, 5, 2, 10, [1, 2, 3, 4, 5]);

        foreach (var chunk in new[] { open, message })
        {
            for (var at = TcpFraming.HeaderSize; at < chunk.Length; at += 7)
            {
                var changed = (byte[])chunk.Clone();
                changed[at] ^= 0x20;
                Assert.Throws<OpcUaProtocolException>(() => client.Read(Parse(changed)));
            }
        }
    }

    [Fact]
    public void A_chunk_under_an_unknown_token_is_refused()
    {
        using var pair = Pair(MessageSecurityMode.SignAndEncrypt);
        var (client, server) = pair;
        server.ActivateToken(78, new byte[32], new byte[32]);

        var refused = Assert.Throws<OpcUaProtocolException>(() => client.Read(Parse(server.WriteSymmetric(TcpMessageType.Message, TcpChunk.Final, 5, 2, 10, [1]))));

        Assert.Equal(StatusCode.BadSecurityChecksFailed, refused.Status);
    }

    private static TcpChunk Parse(byte[] bytes)
    {
        var (type, chunk, _) = TcpFraming.ParseHeader(bytes.AsSpan(0, TcpFraming.HeaderSize), 1 << 20);
        return new TcpChunk(type, chunk, bytes[TcpFraming.HeaderSize..]);
    }

    private static SecurityPair Pair(MessageSecurityMode mode)
    {
        var (a, b) = Certificates.Value;
        var client = new ChannelSecurity(mode, a, X509CertificateLoader.LoadCertificate(b.RawData));
        var server = new ChannelSecurity(mode, b, X509CertificateLoader.LoadCertificate(a.RawData));
        // The server's sending keys are the client's receiving ones when the nonces swap places.
        var (clientNonce, serverNonce) = (ChannelSecurity.NewNonce(), ChannelSecurity.NewNonce());
        client.ActivateToken(77, clientNonce, serverNonce);
        server.ActivateToken(77, serverNonce, clientNonce);
        return new SecurityPair(client, server);
    }

    private readonly record struct SecurityPair(ChannelSecurity Client, ChannelSecurity Server) : IDisposable
    {
        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }
}
