using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Millwright.OpcUa.Crypto;

/// <summary>
/// The server certificates this client trusts: the files in PKI/trusted (DER or PEM). A certificate not there is
/// refused, and written to PKI/rejected so that a person can look at it and move it to trusted/ (the usual OPC UA
/// practice: trust is a deliberate act, never automatic). An expired or not-yet-valid certificate is refused too.
/// A CA certificate in trusted/ trusts what it issued: the chain is built to it through the CAs in PKI/issuers
/// (intermediates that are not trusted by themselves), as OPC 10000-4 6.1.3 and the PKI layout of OPC 10000-12 have it,
/// and every certificate on the way must be in its dates and correctly signed. Revocation lists are not checked yet.
/// </summary>
internal sealed class TrustList(string pkiDirectory, TimeProvider time)
{
    public string TrustedDirectory => Path.Combine(pkiDirectory, "trusted");

    public string RejectedDirectory => Path.Combine(pkiDirectory, "rejected");

    public string IssuersDirectory => Path.Combine(pkiDirectory, "issuers");

    public static string FileNameOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return $"{certificate.GetCertHashString(HashAlgorithmName.SHA256)[..16]}.der";
    }

    /// <summary>Throws BadCertificateUntrusted (or BadCertificateTimeInvalid) with what to do about it.</summary>
    public void Check(X509Certificate2 certificate)
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

        var why = CheckChain(certificate, now);
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
    private (StatusCode Status, string Detail)? CheckChain(X509Certificate2 certificate, DateTime now)
    {
        var authorities = Load(TrustedDirectory).Where(IsAuthority).ToList();
        var issuers = Load(IssuersDirectory).Where(IsAuthority).ToList();
        try
        {
            if (authorities.Count == 0 || certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
            {
                return (StatusCode.BadCertificateUntrusted, "");
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities.ToArray());
            chain.ChainPolicy.ExtraStore.AddRange(issuers.ToArray());
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.ChainPolicy.VerificationTime = now;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            if (chain.Build(certificate))
            {
                return null;
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
                $": it is issued by '{top.Issuer}', which is neither in trusted/ nor (as an intermediate) in issuers/");
        }
        finally
        {
            foreach (var c in authorities.Concat(issuers))
            {
                c.Dispose();
            }
        }
    }

    private static bool IsAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

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
