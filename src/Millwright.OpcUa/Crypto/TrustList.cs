using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Millwright.OpcUa.Crypto;

/// <summary>
/// The server certificates this client trusts: the files in PKI/trusted (DER or PEM). A certificate not there is
/// refused, and written to PKI/rejected so that a person can look at it and move it to trusted/ (the usual OPC UA
/// practice: trust is a deliberate act, never automatic). An expired or not-yet-valid certificate is refused too.
/// </summary>
internal sealed class TrustList(string pkiDirectory, TimeProvider time)
{
    public string TrustedDirectory => Path.Combine(pkiDirectory, "trusted");

    public string RejectedDirectory => Path.Combine(pkiDirectory, "rejected");

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

        ApplicationCertificate.CreatePrivateDirectory(RejectedDirectory);
        var rejected = Path.Combine(RejectedDirectory, FileNameOf(certificate));
        File.WriteAllBytes(rejected, certificate.RawData);
        throw new OpcUaProtocolException(StatusCode.BadCertificateUntrusted,
            $"the server certificate '{certificate.Subject}' (SHA-256 {certificate.GetCertHashString(HashAlgorithmName.SHA256)}) is not trusted; "
            + $"it was saved as rejected/{Path.GetFileName(rejected)} in the PKI directory: check it and move it to trusted/ to trust this server");
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
