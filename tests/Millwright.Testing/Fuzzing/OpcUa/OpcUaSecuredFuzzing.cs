using System.Security.Cryptography.X509Certificates;
using Millwright.OpcUa;
using Millwright.OpcUa.Crypto;
using Millwright.OpcUa.Transport;

namespace Millwright.Fuzzing;

/// <summary>
/// `opcua-secured`: server chunks under Basic256Sha256, Sign and SignAndEncrypt, through the client's chunk security
/// (<see cref="ChannelSecurity.Read"/>: asymmetric OPN and symmetric MSG, signature, padding and decryption), then chunk
/// assembly and the service decoder. Half the cases mutate the protected bytes (they must be refused by the checks);
/// the other half mutate the plaintext and protect it honestly, as a server with a bug would, so the mutations reach
/// the decoder behind the signature. Only <see cref="OpcUaProtocolException"/> may come out.
/// </summary>
internal sealed class OpcUaSecuredFuzzing : IFuzzTarget
{
    private const uint Channel = 5;
    private const uint Token = 77;

    // RSA key generation is slow; every worker shares one pair of application certificates.
    private static readonly Lazy<(X509Certificate2 Client, X509Certificate2 Server)> Certificates = new(() =>
        (ApplicationCertificate.Create("urn:millwright:fuzz:client", DateTimeOffset.UtcNow), ApplicationCertificate.Create("urn:millwright:fuzz:server", DateTimeOffset.UtcNow)));

    public string Name => "opcua-secured";

    public string Description => "OPC UA client chunk security (Basic256Sha256 Sign/SignAndEncrypt OPN and MSG) and the decoder behind it";

    public IFuzzWorker CreateWorker(int seed) => new Worker(seed);

    /// <summary>The service bodies of the plain fuzz target's OPN and MSG seeds: what a server protects.</summary>
    public static IReadOnlyList<byte[]> Payloads() =>
        OpcUaSeeds.All()
            .Select(s => (Header: TcpFraming.ParseHeader(s.AsSpan(0, TcpFraming.HeaderSize), 1 << 20), Body: s[TcpFraming.HeaderSize..]))
            .Where(x => x.Header.Type is TcpMessageType.Open or TcpMessageType.Message)
            .Select(x => new[] { (byte)(x.Header.Type == TcpMessageType.Open ? 1 : 0) }
                .Concat(SecureChunk.Parse(new TcpChunk(x.Header.Type, x.Header.Chunk, x.Body)).Payload).ToArray())
            .ToList();

    /// <summary>Two ends with each other's certificates and one token, as after an OpenSecureChannel under <paramref name="mode"/>.</summary>
    public static (ChannelSecurity Client, ChannelSecurity Server) Pair(MessageSecurityMode mode)
    {
        var (client, server) = Certificates.Value;
        var ours = new ChannelSecurity(mode, client, X509CertificateLoader.LoadCertificate(server.RawData));
        var theirs = new ChannelSecurity(mode, server, X509CertificateLoader.LoadCertificate(client.RawData));
        var (clientNonce, serverNonce) = (ChannelSecurity.NewNonce(), ChannelSecurity.NewNonce());
        ours.ActivateToken(Token, clientNonce, serverNonce);
        theirs.ActivateToken(Token, serverNonce, clientNonce);
        return (ours, theirs);
    }

    /// <summary>What a server sends for a payload: an OPN chunk (first byte 1) or a MSG chunk, protected by <paramref name="server"/>.</summary>
    public static byte[] Protect(ChannelSecurity server, byte[] tagged, uint sequence) =>
        tagged.Length > 0 && tagged[0] == 1
            ? server.WriteOpen(TcpChunk.Final, Channel, sequence, 1, tagged.AsSpan(1))
            : server.WriteSymmetric(TcpMessageType.Message, TcpChunk.Final, Channel, sequence, 2, tagged.AsSpan(Math.Min(1, tagged.Length)));

    /// <summary>Reads one server chunk as the client would; true when it decoded, false when refused with the protocol exception.</summary>
    public static bool Decode(ChannelSecurity client, byte[] input)
    {
        try
        {
            if (input.Length < TcpFraming.HeaderSize)
            {
                throw new OpcUaProtocolException("shorter than a UA-TCP header");
            }

            var (type, chunkType, length) = TcpFraming.ParseHeader(input.AsSpan(0, TcpFraming.HeaderSize), 1 << 20);
            if (length != input.Length - TcpFraming.HeaderSize || type is not (TcpMessageType.Open or TcpMessageType.Message or TcpMessageType.Close))
            {
                throw new OpcUaProtocolException("not a secured chunk of the size it states");
            }

            var chunk = client.Read(new TcpChunk(type, chunkType, input[TcpFraming.HeaderSize..]));
            if (new ChunkAssembler(TransportLimits.Default).Add(chunk) is { Body: { } whole })
            {
                OpcUaFuzzing.DecodeResponse(whole);
            }

            return true;
        }
        catch (OpcUaProtocolException)
        {
            return false;
        }
    }

    private sealed class Worker : IFuzzWorker
    {
        private readonly (ChannelSecurity Client, ChannelSecurity Server)[] _pairs =
            [Pair(MessageSecurityMode.Sign), Pair(MessageSecurityMode.SignAndEncrypt)];

        private readonly MutationEngine _plain;
        private readonly MutationEngine _protected;
        private uint _sequence = 1;
        private long _decoded;
        private long _refused;

        public Worker(int seed)
        {
            var payloads = Payloads();
            _plain = new MutationEngine(payloads, seed);
            // Protected seeds alternate between the pairs: index i was written by pair i % 2.
            _protected = new MutationEngine(payloads.SelectMany(p => _pairs.Select(pair => Protect(pair.Server, p, 1))).ToList(), seed + 1);
        }

        public FuzzCase Current { get; private set; } = new([], "");

        public long Cases { get; private set; }

        public void RunOne()
        {
            var pair = _pairs[Cases % 4 < 2 ? 0 : 1];
            byte[] input;
            if (Cases % 2 == 0)
            {
                var (index, mutated) = _protected.Next();
                pair = _pairs[index % 2];
                input = mutated;
            }
            else
            {
                input = Protect(pair.Server, _plain.Next().Input, ++_sequence);
            }

            Current = new FuzzCase(input, pair.Client.Mode.ToString());
            if (Decode(pair.Client, input))
            {
                _decoded++;
            }
            else
            {
                _refused++;
            }

            Cases++;
        }

        public void Replay(FuzzCase saved) =>
            Decode(_pairs[saved.Context == nameof(MessageSecurityMode.Sign) ? 0 : 1].Client, saved.Input);

        public string Summary() => $"cases {Cases}, decoded {_decoded}, refused {_refused}";
    }
}
