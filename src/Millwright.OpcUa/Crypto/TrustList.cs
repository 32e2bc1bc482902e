using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Millwright.OpcUa.Crypto;

/// <summary>
/// The server certificates this client trusts: the files in PKI/trusted (DER or PEM). A certificate not there is
/// refused, and written to PKI/rejected so that a person can look at it and move it to trusted/ (the usual OPC UA
/// practice: trust is a deliberate act, never automatic). An expired or not-yet-valid certificate is refused too.
/// A CA certificate in trusted/ trusts what it issued: the chain is built to it through the CAs in PKI/issuers
/// (intermediates that are not trusted by themselves), as OPC 10000-4 6.1.3 and the PKI layout of OPC 10000-12 have it,
/// and every certificate on the way must be in its dates and correctly signed. The chain may also run through CA
/// certificates the server sent with its own (they are links, never trust anchors). Revocation lists in
/// trusted/crl and issuers/crl (DER or PEM) are checked for every link of the built chain: a list signed by the
/// link's issuer that names the link's serial number refuses it (BadCertificateRevoked for the server's own,
/// BadCertificateIssuerRevoked for a CA on the way); a list that names an issuer but is not signed by it is refused
/// as BadCertificateRevocationUnknown. A CA with no list is not checked (lists are optional here).
/// <paramref name="givenAuthorities"/> are more trusted CAs (DER) beside trusted/: the platform passes the CAs a tenant
/// uploaded, so that they trust what they issued for that tenant's links only.
/// </summary>
internal sealed class TrustList(string pkiDirectory, TimeProvider time, IReadOnlyList<byte[]>? givenAuthorities = null)
{
    public string TrustedDirectory => Path.Combine(pkiDirectory, "trusted");

    public string RejectedDirectory => Path.Combine(pkiDirectory, "rejected");

    public string IssuersDirectory => Path.Combine(pkiDirectory, "issuers");

    public static string FileNameOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return $"{certificate.GetCertHashString(HashAlgorithmName.SHA256)[..16]}.der";
    }

    public string TrustedCrlDirectory => Path.Combine(pkiDirectory, "trusted", "crl");

    public string IssuersCrlDirectory => Path.Combine(pkiDirectory, "issuers", "crl");

    /// <summary>
    /// Throws BadCertificateUntrusted (or BadCertificateTimeInvalid, BadCertificateRevoked, ...) with what to do about it.
    /// <paramref name="sentChain"/> is what the server sent after its own certificate: CAs that may link it to a trusted one.
    /// </summary>
    public void Check(X509Certificate2 certificate, IReadOnlyList<X509Certificate2>? sentChain = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var now = time.GetUtcNow().UtcDateTime;
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            throw new OpcUaProtocolException(StatusCode.BadCertificateTimeInvalid,
                $"the server certificate '{certificate.Subject}' is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}, not now");
        }

        if (IsTrusted(certificate))
        {
            return;
        }

        var why = CheckChain(certificate, now, sentChain ?? []);
        if (why is null)
        {
            return;
        }

        ApplicationCertificate.CreatePrivateDirectory(RejectedDirectory);
        var rejected = Path.Combine(RejectedDirectory, FileNameOf(certificate));
        File.WriteAllBytes(rejected, certificate.RawData);
        throw new OpcUaProtocolException(why.Value.Status,
            $"the server certificate '{certificate.Subject}' (SHA-256 {certificate.GetCertHashString(HashAlgorithmName.SHA256)}) is not trusted{why.Value.Detail}; "
            + $"it was saved as rejected/{Path.GetFileName(rejected)} in the PKI directory: check it and move it to trusted/ to trust this server");
    }

    /// <summary>Null when a chain leads to a trusted CA; otherwise the status and why, naming the issuer at fault.</summary>
    private (StatusCode Status, string Detail)? CheckChain(X509Certificate2 certificate, DateTime now, IReadOnlyList<X509Certificate2> sentChain)
    {
        var given = Parse(givenAuthorities ?? []);
        var inFolder = Load(TrustedDirectory);
        var authorities = inFolder.Concat(given).Where(IsAuthority).ToList();
        var issuers = Load(IssuersDirectory).Where(IsAuthority).ToList();
        try
        {
            if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
            {
                return (StatusCode.BadCertificateUntrusted, "");
            }

            if (authorities.Count == 0)
            {
                return (StatusCode.BadCertificateUntrusted, $": it is issued by '{certificate.Issuer}', and no CA is trusted");
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities.ToArray());
            chain.ChainPolicy.ExtraStore.AddRange(issuers.ToArray());
            chain.ChainPolicy.ExtraStore.AddRange(sentChain.Where(IsAuthority).ToArray());
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.ChainPolicy.VerificationTime = now;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            if (chain.Build(certificate))
            {
                return Revoked(chain);
            }

            // The first element at fault says why: the leaf's own dates were checked before, so a time fault is an issuer's.
            foreach (var element in chain.ChainElements)
            {
                var flags = element.ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
                var who = element.Certificate.RawData.AsSpan().SequenceEqual(certificate.RawData) ? "it" : $"its issuer '{element.Certificate.Subject}'";
                if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
                {
                    return (StatusCode.BadCertificateIssuerTimeInvalid,
                        $": {who} is valid from {element.Certificate.NotBefore.ToUniversalTime():u} to {element.Certificate.NotAfter.ToUniversalTime():u}, not now");
                }

                if ((flags & (X509ChainStatusFlags.NotSignatureValid | X509ChainStatusFlags.InvalidBasicConstraints | X509ChainStatusFlags.HasNotSupportedCriticalExtension)) != 0)
                {
                    return (StatusCode.BadCertificateInvalid, $": {who} fails the chain check ({flags})");
                }
            }

            var top = chain.ChainElements[^1].Certificate;
            return (StatusCode.BadCertificateUntrusted,
                $": it is issued by '{top.Issuer}', which is neither in trusted/{(given.Count == 0 ? "" : $", among the {given.Count} trusted CAs given beside it,")} nor (as an intermediate) in issuers/");
        }
        finally
        {
            foreach (var c in inFolder.Concat(given).Concat(issuers))
            {
                c.Dispose();
            }
        }
    }

    /// <summary>Null when no revocation list of an issuer on the chain names the certificate it issued; else who is revoked by whom.</summary>
    private (StatusCode Status, string Detail)? Revoked(X509Chain chain)
    {
        var lists = new[] { TrustedCrlDirectory, IssuersCrlDirectory }.Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles).Select(RevocationList.Load).OfType<RevocationList>().ToList();
        var elements = chain.ChainElements;
        for (var i = 0; i < elements.Count - 1 && lists.Count > 0; i++)
        {
            var (link, issuer) = (elements[i].Certificate, elements[i + 1].Certificate);
            foreach (var list in lists.Where(l => l.Issuer.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData)))
            {
                var where = $"revocation list {Path.GetFileName(list.File)} of {list.ThisUpdate:u}";
                if (!list.IsSignedBy(issuer))
                {
                    return (StatusCode.BadCertificateRevocationUnknown, $": the {where} names '{issuer.Subject}' as its issuer but is not signed by it");
                }

                if (list.Revokes(link))
                {
                    return i == 0
                        ? (StatusCode.BadCertificateRevoked, $": it (serial {link.SerialNumber}) is revoked by its issuer '{issuer.Subject}' ({where})")
                        : (StatusCode.BadCertificateIssuerRevoked, $": its issuer '{link.Subject}' (serial {link.SerialNumber}) is revoked by '{issuer.Subject}' ({where})");
                }
            }
        }

        return null;
    }

    private static bool IsAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    /// <summary>The given CAs that parse; anything else trusts nothing (the platform checked them when they were uploaded).</summary>
    private static List<X509Certificate2> Parse(IReadOnlyList<byte[]> ders)
    {
        var certificates = new List<X509Certificate2>(ders.Count);
        foreach (var der in ders)
        {
            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException)
            {
                // Not a certificate: it trusts nothing.
            }
        }

        return certificates;
    }

    /// <summary>The certificates in a folder; other files trust nothing.</summary>
    private static List<X509Certificate2> Load(string directory)
    {
        var certificates = new List<X509Certificate2>();
        if (!Directory.Exists(directory))
        {
            return certificates;
        }

        foreach (var file in Directory.EnumerateFiles(directory))
        {
            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificateFromFile(file));
            }
            catch (CryptographicException)
            {
                // Not a certificate (a README, a stray file).
            }
        }

        return certificates;
    }

    public bool IsTrusted(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!Directory.Exists(TrustedDirectory))
        {
            return false;
        }

        foreach (var file in Directory.EnumerateFiles(TrustedDirectory))
        {
            try
            {
                using var trusted = X509CertificateLoader.LoadCertificateFromFile(file);
                if (trusted.RawData.AsSpan().SequenceEqual(certificate.RawData))
                {
                    return true;
                }
            }
            catch (CryptographicException)
            {
                // Not a certificate (a README, a stray file): it trusts nothing.
            }
        }

        return false;
    }

    /// <summary>Adds a certificate to the trusted folder (the CLI's explicit trust step and the tests use it).</summary>
    public string Trust(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ApplicationCertificate.CreatePrivateDirectory(TrustedDirectory);
        var file = Path.Combine(TrustedDirectory, FileNameOf(certificate));
        File.WriteAllBytes(file, certificate.RawData);
        return file;
    }
}
