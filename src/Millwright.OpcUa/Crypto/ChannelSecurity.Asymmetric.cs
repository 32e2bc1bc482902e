using System.Buffers.Binary;
using System.Security.Cryptography;
using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa.Crypto;

/// <summary>OPN chunks (OPC 10000-6 6.7.2.3, 6.7.2.5): asymmetric security header, RSA-PKCS1-SHA256 signature, RSA-OAEP encryption.</summary>
internal sealed partial class ChannelSecurity
{
    /// <summary>
    /// An OPN chunk: header, channel id, asymmetric security header (policy, our certificate, the server
    /// certificate's thumbprint), then sequence header, body, padding and our signature, encrypted for the server.
    /// </summary>
    public byte[] WriteOpen(byte chunkType, uint channelId, uint sequence, uint requestId, ReadOnlySpan<byte> body)
    {
        var w = new UaWriter();
        TcpFraming.WriteHeader(w, TcpMessageType.Open, chunkType);
        w.WriteUInt32(channelId);
        w.WriteString(Basic256Sha256.Uri);
        w.WriteByteString(_clientDer);
        w.WriteByteString(_serverThumbprint);
        var headerLength = w.Length;

        // Padding fills the plaintext to whole blocks of the server's key (less OAEP's overhead); keys above 2048
        // bits need a second padding-size byte (6.7.2.5).
        var cipherBlock = _serverKey.KeySize / 8;
        var plainBlock = cipherBlock - Basic256Sha256.OaepOverhead;
        var extra = cipherBlock > 256;
        var signatureLength = _clientKey.KeySize / 8;
        var unpadded = 8 + body.Length + 1 + (extra ? 1 : 0) + signatureLength;
        var padding = (plainBlock - (unpadded % plainBlock)) % plainBlock;
        var plainLength = unpadded + padding;
        w.WriteUInt32(sequence);
        w.WriteUInt32(requestId);
        w.WriteRaw(body);
        for (var i = 0; i <= padding; i++)
        {
            w.WriteByte((byte)padding);
        }

        if (extra)
        {
            w.WriteByte((byte)(padding >> 8));
        }

        w.PatchUInt32(4, (uint)(headerLength + (plainLength / plainBlock * cipherBlock)));
        var signed = w.Written.Span;
        var signature = _clientKey.SignData(signed, HashAlgorithmName.SHA256, Basic256Sha256.AsymmetricSignature);
        var plain = new byte[plainLength];
        signed[headerLength..].CopyTo(plain);
        signature.CopyTo(plain, plainLength - signatureLength);

        var chunk = new byte[headerLength + (plainLength / plainBlock * cipherBlock)];
        signed[..headerLength].CopyTo(chunk);
        for (var i = 0; i < plainLength / plainBlock; i++)
        {
            var cipher = _serverKey.Encrypt(plain.AsSpan(i * plainBlock, plainBlock).ToArray(), Basic256Sha256.AsymmetricEncryption);
            cipher.CopyTo(chunk, headerLength + (i * cipherBlock));
        }

        return chunk;
    }

    /// <summary>
    /// The server's OPN chunk: its policy must be ours, its sender certificate the server's and its receiver
    /// thumbprint ours; the rest decrypts with our key, its signature verifies with the server's, its padding checks.
    /// </summary>
    private SecureChunk ReadAsymmetric(TcpChunk chunk)
    {
        var r = new UaReader(chunk.Body);
        var channelId = r.ReadUInt32();
        var policy = r.ReadString();
        var sender = r.ReadByteString();
        var receiver = r.ReadByteString();
        if (policy != Basic256Sha256.Uri)
        {
            throw new OpcUaProtocolException(StatusCode.BadSecurityPolicyRejected, $"the server answered with security policy '{policy}', not Basic256Sha256");
        }

        // A sender may send its chain; its own certificate comes first.
        if (sender is null || sender.Length < _serverDer.Length || !sender.AsSpan(0, _serverDer.Length).SequenceEqual(_serverDer))
        {
            throw new OpcUaProtocolException(StatusCode.BadCertificateInvalid, "the server signed with another certificate than the one its endpoint described");
        }

        ServerChain = sender;

        if (receiver is null || !receiver.AsSpan().SequenceEqual(_clientThumbprint))
        {
            throw new OpcUaProtocolException(StatusCode.BadCertificateInvalid, "the server encrypted for another certificate than ours");
        }

        var securityEnd = r.Position;
        var cipherBlock = _clientKey.KeySize / 8;
        var cipher = chunk.Body.AsSpan(securityEnd);
        if (cipher.Length == 0 || cipher.Length % cipherBlock != 0)
        {
            throw Refused($"an encrypted OPN of {cipher.Length} bytes (blocks of {cipherBlock})");
        }

        using var plainStream = new MemoryStream(cipher.Length);
        try
        {
            for (var offset = 0; offset < cipher.Length; offset += cipherBlock)
            {
                plainStream.Write(_clientKey.Decrypt(cipher.Slice(offset, cipherBlock).ToArray(), Basic256Sha256.AsymmetricEncryption));
            }
        }
        catch (CryptographicException e)
        {
            throw new OpcUaProtocolException(StatusCode.BadSecurityChecksFailed, "the OPN does not decrypt with our key", e);
        }

        var plain = plainStream.ToArray();
        var signatureLength = _serverKey.KeySize / 8;
        if (plain.Length < 8 + signatureLength + 1)
        {
            throw Refused($"an OPN of {plain.Length} bytes cannot hold a {signatureLength}-byte signature");
        }

        var end = plain.Length - signatureLength;
        var signed = new byte[TcpFraming.HeaderSize + securityEnd + end];
        RawHeader(chunk).CopyTo(signed, 0);
        chunk.Body.AsSpan(0, securityEnd).CopyTo(signed.AsSpan(TcpFraming.HeaderSize));
        plain.AsSpan(0, end).CopyTo(signed.AsSpan(TcpFraming.HeaderSize + securityEnd));
        if (!_serverKey.VerifyData(signed, plain.AsSpan(end), HashAlgorithmName.SHA256, Basic256Sha256.AsymmetricSignature))
        {
            throw Refused("the server's signature on its OPN does not verify");
        }

        var bodyEnd = Unpad(plain, end, extra: cipherBlock > 256);
        return new SecureChunk(chunk.Type, chunk.ChunkType, channelId, policy, 0,
            BinaryPrimitives.ReadUInt32LittleEndian(plain), BinaryPrimitives.ReadUInt32LittleEndian(plain.AsSpan(4)), plain[8..bodyEnd]);
    }
}
