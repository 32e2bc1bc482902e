using System.Security.Cryptography;

namespace Millwright.OpcUa.Crypto;

/// <summary>
/// The constants and key derivation of security policy Basic256Sha256 (OPC 10000-7, "SecurityPolicy – Basic256Sha256";
/// OPC 10000-6 6.7.5): RSA-PKCS1-v1_5 SHA-256 asymmetric signatures, RSA-OAEP (SHA-1) asymmetric encryption,
/// HMAC-SHA256 symmetric signatures, AES-256-CBC symmetric encryption, P_SHA256 key derivation, 32-byte nonces.
/// </summary>
internal static class Basic256Sha256
{
    public const string Uri = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256";
    public const string Name = "Basic256Sha256";
    public const string AsymmetricSignatureUri = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const int NonceLength = 32;
    public const int SigningKeyLength = 32;
    public const int EncryptingKeyLength = 32;
    public const int BlockSize = 16;
    public const int SymmetricSignatureLength = 32;

    /// <summary>RSA-OAEP with SHA-1 spends 2 * 20 + 2 bytes of each block on padding.</summary>
    public const int OaepOverhead = 42;

    public static readonly RSAEncryptionPadding AsymmetricEncryption = RSAEncryptionPadding.OaepSHA1;

    public static readonly RSASignaturePadding AsymmetricSignature = RSASignaturePadding.Pkcs1;

    /// <summary>
    /// The client's keys come from P_SHA256(secret: server nonce, seed: client nonce), the server's from the nonces
    /// the other way round; each is signing key, encrypting key, IV in that order of the output.
    /// </summary>
    public static (SymmetricKeys Client, SymmetricKeys Server) DeriveKeys(byte[] clientNonce, byte[] serverNonce)
    {
        ArgumentNullException.ThrowIfNull(clientNonce);
        ArgumentNullException.ThrowIfNull(serverNonce);
        return (Split(PSha256(serverNonce, clientNonce, SigningKeyLength + EncryptingKeyLength + BlockSize)),
            Split(PSha256(clientNonce, serverNonce, SigningKeyLength + EncryptingKeyLength + BlockSize)));
    }

    /// <summary>P_SHA256 (RFC 5246 section 5): A(0) = seed, A(i) = HMAC(secret, A(i-1)); output HMAC(secret, A(i) + seed) for i = 1, 2, ...</summary>
    public static byte[] PSha256(byte[] secret, byte[] seed, int length)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(seed);
        var output = new byte[length];
        var a = seed;
        var buffer = new byte[32 + seed.Length];
        for (var offset = 0; offset < length; offset += 32)
        {
            a = HMACSHA256.HashData(secret, a);
            a.CopyTo(buffer, 0);
            seed.CopyTo(buffer, 32);
            var block = HMACSHA256.HashData(secret, buffer);
            block.AsSpan(0, Math.Min(32, length - offset)).CopyTo(output.AsSpan(offset));
        }

        return output;
    }

    private static SymmetricKeys Split(byte[] material) => new(
        material[..SigningKeyLength],
        material[SigningKeyLength..(SigningKeyLength + EncryptingKeyLength)],
        material[(SigningKeyLength + EncryptingKeyLength)..]);
}
