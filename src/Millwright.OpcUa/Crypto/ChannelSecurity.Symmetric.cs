using System.Buffers.Binary;
using System.Security.Cryptography;
using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa.Crypto;

/// <summary>MSG and CLO chunks (OPC 10000-6 6.7.2.4, 6.7.2.5): HMAC-SHA256 signature; under SignAndEncrypt, padding and AES-256-CBC.</summary>
internal sealed partial class ChannelSecurity
{
    private bool Encrypts => Mode == MessageSecurityMode.SignAndEncrypt;

    public byte[] WriteSymmetric(TcpMessageType type, byte chunkType, uint channelId, uint sequence, uint requestId, ReadOnlySpan<byte> body)
    {
        SymmetricKeys keys;
        uint token;
        lock (_gate)
        {
            keys = _sending ?? throw new OpcUaProtocolException(StatusCode.BadSecureChannelIdInvalid, "the secure channel is not open");
            token = _sendingToken;
        }

        var w = new UaWriter();
        TcpFraming.WriteHeader(w, type, chunkType);
        w.WriteUInt32(channelId);
        w.WriteUInt32(token);
        var headerLength = w.Length;
        w.WriteUInt32(sequence);
        w.WriteUInt32(requestId);
        w.WriteRaw(body);
        if (Encrypts)
        {
            // Sequence header, body, padding and signature fill whole AES blocks.
            var unpadded = 8 + body.Length + 1 + Basic256Sha256.SymmetricSignatureLength;
            var padding = (Basic256Sha256.BlockSize - (unpadded % Basic256Sha256.BlockSize)) % Basic256Sha256.BlockSize;
            for (var i = 0; i <= padding; i++)
            {
                w.WriteByte((byte)padding);
            }
        }

        w.PatchUInt32(4, (uint)(w.Length + Basic256Sha256.SymmetricSignatureLength));
        var signature = HMACSHA256.HashData(keys.SigningKey, w.Written.Span);
        w.WriteRaw(signature);
        var chunk = w.ToArray();
        if (Encrypts)
        {
            using var aes = Aes.Create();
            aes.Key = keys.EncryptingKey;
            aes.EncryptCbc(chunk.AsSpan(headerLength), keys.Iv, chunk.AsSpan(headerLength), PaddingMode.None);
        }

        return chunk;
    }

    private SecureChunk ReadSymmetric(TcpChunk chunk)
    {
        var r = new UaReader(chunk.Body);
        var channelId = r.ReadUInt32();
        var token = r.ReadUInt32();
        SymmetricKeys? keys;
        lock (_gate)
        {
            _receiving.TryGetValue(token, out keys);
        }

        if (keys is null)
        {
            throw new OpcUaProtocolException(StatusCode.BadSecurityChecksFailed, $"a chunk under security token {token}, which the channel does not have");
        }

        var protectedPart = chunk.Body.AsSpan(8);
        byte[] plain;
        if (Encrypts)
        {
            if (protectedPart.Length == 0 || protectedPart.Length % Basic256Sha256.BlockSize != 0)
            {
                throw Refused($"an encrypted chunk of {protectedPart.Length} bytes (blocks of {Basic256Sha256.BlockSize})");
            }

            using var aes = Aes.Create();
            aes.Key = keys.EncryptingKey;
            plain = aes.DecryptCbc(protectedPart, keys.Iv, PaddingMode.None);
        }
        else
        {
            plain = protectedPart.ToArray();
        }

        if (plain.Length < 8 + Basic256Sha256.SymmetricSignatureLength)
        {
            throw Refused($"a chunk of {plain.Length} bytes cannot hold its signature");
        }

        var end = plain.Length - Basic256Sha256.SymmetricSignatureLength;
        var signed = new byte[TcpFraming.HeaderSize + 8 + end];
        RawHeader(chunk).CopyTo(signed, 0);
        chunk.Body.AsSpan(0, 8).CopyTo(signed.AsSpan(TcpFraming.HeaderSize));
        plain.AsSpan(0, end).CopyTo(signed.AsSpan(TcpFraming.HeaderSize + 8));
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(keys.SigningKey, signed), plain.AsSpan(end)))
        {
            throw Refused("a chunk whose signature does not verify");
        }

        var bodyEnd = Encrypts ? Unpad(plain, end, extra: false) : end;
        return new SecureChunk(chunk.Type, chunk.ChunkType, channelId, null, token,
            BinaryPrimitives.ReadUInt32LittleEndian(plain), BinaryPrimitives.ReadUInt32LittleEndian(plain.AsSpan(4)), plain[8..bodyEnd]);
    }
}
