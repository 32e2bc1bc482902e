using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa.Crypto;

/// <summary>
/// What a Basic256Sha256 channel (Sign or SignAndEncrypt) needs to protect its chunks (OPC 10000-6 6.7.2): the
/// client's key pair, the server's certificate, and the symmetric keys of each security token. OPN chunks are always
/// signed and encrypted with the certificates' RSA keys; MSG and CLO chunks are signed with HMAC-SHA256 and, under
/// SignAndEncrypt, encrypted with AES-256-CBC. Every check that fails throws the one protocol exception, so a
/// mutated chunk only parses or is refused (the fuzzer drives <see cref="Read"/>).
/// </summary>
internal sealed partial class ChannelSecurity : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<uint, SymmetricKeys> _receiving = [];
    private readonly RSA _clientKey;
    private readonly RSA _serverKey;
    private readonly byte[] _clientDer;
    private readonly byte[] _serverDer;
    private readonly byte[] _clientThumbprint;
    private readonly byte[] _serverThumbprint;
    private SymmetricKeys? _sending;
    private uint _sendingToken;

    public ChannelSecurity(MessageSecurityMode mode, X509Certificate2 clientCertificate, X509Certificate2 serverCertificate)
    {
        ArgumentNullException.ThrowIfNull(clientCertificate);
        ArgumentNullException.ThrowIfNull(serverCertificate);
        if (mode == MessageSecurityMode.None)
        {
            throw new ArgumentException("a channel with security mode None has no ChannelSecurity", nameof(mode));
        }

        Mode = mode;
        _clientKey = clientCertificate.GetRSAPrivateKey() ?? throw new OpcUaProtocolException(StatusCode.BadCertificateInvalid, "the client certificate has no RSA private key");
        _serverKey = serverCertificate.GetRSAPublicKey() ?? throw new OpcUaProtocolException(StatusCode.BadCertificateInvalid, "the server certificate has no RSA key");
        _clientDer = clientCertificate.RawData;
        _serverDer = serverCertificate.RawData;
        // The receiver's thumbprint in the asymmetric header is the SHA-1 of its DER certificate (6.7.2.3), GetCertHash's.
        _clientThumbprint = clientCertificate.GetCertHash();
        _serverThumbprint = serverCertificate.GetCertHash();
    }

    public MessageSecurityMode Mode { get; }

    /// <summary>The SenderCertificate of the server's last OPN: its certificate, then the chain it sent (null before).</summary>
    public byte[]? ServerChain { get; private set; }

    public int SecurityModeValue => (int)Mode;

    /// <summary>The token MSG and CLO chunks are sent under; 0 before the channel is open.</summary>
    public uint SendingToken
    {
        get
        {
            lock (_gate)
            {
                return _sendingToken;
            }
        }
    }

    /// <summary>A fresh client nonce for an OpenSecureChannel request.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(Basic256Sha256.NonceLength);

    /// <summary>
    /// Takes a new token from an OpenSecureChannel response: the client sends under it from now on, and still
    /// accepts the previous token's chunks until the server switches (6.7.4).
    /// </summary>
    public void ActivateToken(uint tokenId, byte[] clientNonce, byte[]? serverNonce)
    {
        if (serverNonce is not { Length: Basic256Sha256.NonceLength })
        {
            throw new OpcUaProtocolException(StatusCode.BadNonceInvalid, $"the server nonce has {serverNonce?.Length ?? 0} bytes; Basic256Sha256 needs {Basic256Sha256.NonceLength}");
        }

        var (client, server) = Basic256Sha256.DeriveKeys(clientNonce, serverNonce);
        lock (_gate)
        {
            var previous = _sendingToken;
            foreach (var old in _receiving.Keys.Where(k => k != previous).ToList())
            {
                _receiving.Remove(old);
            }

            _receiving[tokenId] = server;
            _sending = client;
            _sendingToken = tokenId;
        }
    }

    /// <summary>The most body bytes a MSG chunk may carry within the peer's receive buffer.</summary>
    public int MaxSymmetricBody(uint receiveBufferSize) => Mode == MessageSecurityMode.Sign
        ? (int)receiveBufferSize - SecureChunk.SymmetricOverhead - Basic256Sha256.SymmetricSignatureLength
        : ((int)(receiveBufferSize - 16) / Basic256Sha256.BlockSize * Basic256Sha256.BlockSize) - 8 - Basic256Sha256.SymmetricSignatureLength - 1;

    /// <summary>Checks and unprotects a chunk the server sent: OPN asymmetrically, MSG and CLO with the token's keys.</summary>
    public SecureChunk Read(TcpChunk chunk) =>
        chunk.Type == TcpMessageType.Open ? ReadAsymmetric(chunk) : ReadSymmetric(chunk);

    /// <summary>Signs the client's data with its private key, as ActivateSession's ClientSignature needs (10000-4 5.6.3).</summary>
    public byte[] SignWithClientKey(ReadOnlySpan<byte> data) => _clientKey.SignData(data, HashAlgorithmName.SHA256, Basic256Sha256.AsymmetricSignature);

    /// <summary>Checks a signature the server made with its certificate's key, as CreateSession's ServerSignature.</summary>
    public bool VerifyServerSignature(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _serverKey.VerifyData(data, signature, HashAlgorithmName.SHA256, Basic256Sha256.AsymmetricSignature);

    public void Dispose()
    {
        _clientKey.Dispose();
        _serverKey.Dispose();
    }

    /// <summary>The 8-byte message header as it was on the wire (the signature covers it).</summary>
    private static byte[] RawHeader(TcpChunk chunk)
    {
        var code = (uint)chunk.Type;
        var header = new byte[TcpFraming.HeaderSize];
        header[0] = (byte)code;
        header[1] = (byte)(code >> 8);
        header[2] = (byte)(code >> 16);
        header[3] = chunk.ChunkType;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)(TcpFraming.HeaderSize + chunk.Body.Length));
        return header;
    }

    /// <summary>
    /// Removes the padding before the signature (PaddingSize, that many bytes of the same value, and ExtraPaddingSize
    /// when the key needs it) after checking every padding byte; returns where the body ends.
    /// </summary>
    private static int Unpad(ReadOnlySpan<byte> plain, int end, bool extra)
    {
        if (end < 9 + (extra ? 1 : 0))
        {
            throw Refused("a chunk too short for its padding");
        }

        var size = extra ? plain[end - 2] | (plain[end - 1] << 8) : plain[end - 1];
        var region = size + 1 + (extra ? 1 : 0);
        if (region > end - 8)
        {
            throw Refused($"padding of {size} bytes in a chunk of {end} bytes");
        }

        foreach (var b in plain[(end - region)..(end - (extra ? 1 : 0))])
        {
            if (b != (byte)size)
            {
                throw Refused("padding bytes that do not match the padding size");
            }
        }

        return end - region;
    }

    private static OpcUaProtocolException Refused(string why) => new(StatusCode.BadSecurityChecksFailed, why);
}
