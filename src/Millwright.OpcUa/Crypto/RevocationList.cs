using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Millwright.OpcUa.Crypto;

/// <summary>
/// A certificate revocation list (RFC 5280 5.1) from the trust list's <c>crl/</c> folders, read with our own DER reader:
/// its issuer, when it was made, the serial numbers it revokes, and the signed part with its signature, which
/// <see cref="IsSignedBy"/> checks against the issuing CA's key (RSA PKCS#1 v1.5 or ECDSA with SHA-256/384/512).
/// </summary>
internal sealed record RevocationList(string File, X500DistinguishedName Issuer, DateTime ThisUpdate, IReadOnlySet<string> RevokedSerials,
    byte[] Signed, string AlgorithmOid, byte[] Signature)
{
    /// <summary>Reads a DER or PEM ("X509 CRL") file; null when it is not a CRL (another file in the folder).</summary>
    public static RevocationList? Load(string file)
    {
        try
        {
            var bytes = System.IO.File.ReadAllBytes(file);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            var der = PemEncoding.TryFind(text, out var pem) && text[pem.Label] == "X509 CRL" ? Convert.FromBase64String(text[pem.Base64Data]) : bytes;
            return Parse(file, der);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or FormatException or IOException)
        {
            return null;
        }
    }

    /// <summary>CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }.</summary>
    public static RevocationList Parse(string file, byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var list = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var signed = list.PeekEncodedValue().ToArray();
        var tbs = list.ReadSequence();
        var algorithm = list.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        var signature = list.ReadBitString(out _);
        list.ThrowIfNotEmpty();

        // TBSCertList: version (v2) OPTIONAL, signature, issuer, thisUpdate, nextUpdate OPTIONAL, revokedCertificates OPTIONAL, crlExtensions [0] OPTIONAL.
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        tbs.ReadSequence();
        var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        var thisUpdate = ReadTime(tbs);
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            ReadTime(tbs);
        }

        var serials = new HashSet<string>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                serials.Add(Convert.ToHexString(entry.ReadIntegerBytes().Span));
            }
        }

        return new RevocationList(file, issuer, thisUpdate, serials, signed, oid, signature);
    }

    public bool Revokes(X509Certificate2 certificate) => RevokedSerials.Contains(certificate.SerialNumber);

    /// <summary>Whether <paramref name="issuer"/>'s key made the signature over the list.</summary>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var (hash, ecdsa) = AlgorithmOid switch
        {
            "1.2.840.113549.1.1.11" => (HashAlgorithmName.SHA256, false),
            "1.2.840.113549.1.1.12" => (HashAlgorithmName.SHA384, false),
            "1.2.840.113549.1.1.13" => (HashAlgorithmName.SHA512, false),
            "1.2.840.10045.4.3.2" => (HashAlgorithmName.SHA256, true),
            "1.2.840.10045.4.3.3" => (HashAlgorithmName.SHA384, true),
            "1.2.840.10045.4.3.4" => (HashAlgorithmName.SHA512, true),
            _ => (default, false),
        };
        if (hash == default)
        {
            return false; // an algorithm we do not verify is not a signature we can rely on
        }

        if (ecdsa)
        {
            using var key = issuer.GetECDsaPublicKey();
            return key is not null && key.VerifyData(Signed, Signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = issuer.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(Signed, Signature, hash, RSASignaturePadding.Pkcs1);
    }

    private static bool IsTime(Asn1Tag tag) => tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTime ReadTime(AsnReader reader) => (reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime)
        ? reader.ReadUtcTime() : reader.ReadGeneralizedTime()).UtcDateTime;
}
