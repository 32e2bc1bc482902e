using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Millwright.OpcUa.Encoding;

namespace Millwright.OpcUa.Services;

/// <summary>
/// User identity tokens for ActivateSession (OPC 10000-4 7.36). A user name token's password travels in the clear
/// only when its token policy's security policy is None; otherwise it is encrypted for the server's certificate as
/// 7.36.2.2 describes: length (UInt32), password, server nonce, RSA-OAEP (SHA-1 for the Basic256* policies).
/// </summary>
internal static class IdentityTokens
{
    private const string None = "http://opcfoundation.org/UA/SecurityPolicy#None";
    private const string RsaOaep = "http://www.w3.org/2001/04/xmlenc#rsa-oaep";
    private const string RsaOaepSha256 = "http://opcfoundation.org/UA/security/rsa-oaep-sha2-256";

    public static ExtensionObject Anonymous(string? policyId) =>
        Token(EncodingIds.AnonymousIdentityToken, w => w.WriteString(policyId));

    public static ExtensionObject UserName(UserTokenPolicy policy, EndpointDescription endpoint, string user, string password, byte[]? serverNonce)
    {
        var secret = System.Text.Encoding.UTF8.GetBytes(password);
        var tokenPolicy = string.IsNullOrEmpty(policy.SecurityPolicyUri) ? endpoint.SecurityPolicyUri : policy.SecurityPolicyUri;
        string? algorithm = null;
        if (!string.IsNullOrEmpty(tokenPolicy) && tokenPolicy != None)
        {
            if (endpoint.ServerCertificate is not { Length: > 0 } der)
            {
                throw new OpcUaProtocolException(StatusCode.BadIdentityTokenInvalid, $"the user token policy '{tokenPolicy}' needs the server's certificate, which it did not send");
            }

            var sha256 = tokenPolicy.EndsWith("#Aes256_Sha256_RsaPss", StringComparison.Ordinal);
            algorithm = sha256 ? RsaOaepSha256 : RsaOaep;
            secret = Encrypt(der, secret, serverNonce ?? [], sha256 ? RSAEncryptionPadding.OaepSHA256 : RSAEncryptionPadding.OaepSHA1);
        }

        return Token(EncodingIds.UserNameIdentityToken, w =>
        {
            w.WriteString(policy.PolicyId);
            w.WriteString(user);
            w.WriteByteString(secret);
            w.WriteString(algorithm);
        });
    }

    private static byte[] Encrypt(byte[] certificateDer, byte[] secret, byte[] nonce, RSAEncryptionPadding padding)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        using var rsa = certificate.GetRSAPublicKey() ?? throw new OpcUaProtocolException(StatusCode.BadIdentityTokenInvalid, "the server's certificate has no RSA key");
        var plain = new byte[4 + secret.Length + nonce.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(plain, (uint)(secret.Length + nonce.Length));
        secret.CopyTo(plain, 4);
        nonce.CopyTo(plain, 4 + secret.Length);
        // OAEP takes at most key size - 2*hash - 2 bytes per block; longer plaintexts go block by block.
        var keyBytes = rsa.KeySize / 8;
        var block = keyBytes - (2 * (padding == RSAEncryptionPadding.OaepSHA256 ? 32 : 20)) - 2;
        using var output = new MemoryStream();
        for (var offset = 0; offset < plain.Length; offset += block)
        {
            output.Write(rsa.Encrypt(plain.AsSpan(offset, Math.Min(block, plain.Length - offset)).ToArray(), padding));
        }

        return output.ToArray();
    }

    private static ExtensionObject Token(uint encodingId, Action<UaWriter> body)
    {
        var w = new UaWriter();
        body(w);
        return new ExtensionObject(new NodeId(0, encodingId), ExtensionObject.BinaryBody, w.ToArray());
    }
}
