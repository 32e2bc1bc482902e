using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Millwright.OpcUa.Crypto;

namespace Millwright.OpcUa.Tests;

/// <summary>CA chains in the client's trust list, with certificates made here: a CA in trusted/ trusts what it issued, through intermediates in issuers/.</summary>
public sealed class TrustListTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _pki = Directory.CreateTempSubdirectory("mw-trust-").FullName;
    private readonly TrustList _trust;

    public TrustListTests() => _trust = new TrustList(_pki, new ManualClock(Now));

    [Fact]
    public void A_server_certificate_issued_by_a_trusted_CA_is_accepted()
    {
        using var ca = Authority("CN=Plant CA", Now.AddDays(-10), Now.AddYears(1));
        using var server = Issue(ca, "CN=mill-7", Now.AddDays(-1), Now.AddDays(90));
        Save("trusted", ca);

        _trust.Check(server);
    }

    [Fact]
    public void A_chain_through_an_intermediate_in_issuers_is_accepted_and_without_it_is_refused()
    {
        using var root = Authority("CN=Group Root", Now.AddDays(-10), Now.AddYears(5));
        using var intermediate = Authority("CN=Plant Issuing CA", Now.AddDays(-5), Now.AddYears(2), root);
        using var server = Issue(intermediate, "CN=press-3", Now.AddDays(-1), Now.AddDays(90));
        Save("trusted", root);

        var refused = Assert.Throws<OpcUaProtocolException>(() => _trust.Check(server));
        Assert.Equal(StatusCode.BadCertificateUntrusted, refused.Status);

        Save("issuers", intermediate);
        _trust.Check(server);
    }

    [Fact]
    public void A_certificate_from_an_untrusted_issuer_is_refused_naming_the_issuer_and_kept_in_rejected()
    {
        using var trusted = Authority("CN=Plant CA", Now.AddDays(-10), Now.AddYears(1));
        using var stranger = Authority("CN=Someone Else CA", Now.AddDays(-10), Now.AddYears(1));
        using var server = Issue(stranger, "CN=mill-7", Now.AddDays(-1), Now.AddDays(90));
        Save("trusted", trusted);

        var refused = Assert.Throws<OpcUaProtocolException>(() => _trust.Check(server));

        Assert.Equal(StatusCode.BadCertificateUntrusted, refused.Status);
        Assert.Contains("issued by 'CN=Someone Else CA'", refused.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_pki, "rejected", TrustList.FileNameOf(server))));
    }

    [Fact]
    public void A_certificate_signed_by_another_key_under_the_trusted_CAs_name_is_refused()
    {
        using var ca = Authority("CN=Plant CA", Now.AddDays(-10), Now.AddYears(1));
        using var impostor = Authority("CN=Plant CA", Now.AddDays(-10), Now.AddYears(1));
        using var server = Issue(impostor, "CN=mill-7", Now.AddDays(-1), Now.AddDays(90));
        Save("trusted", ca);

        var refused = Assert.Throws<OpcUaProtocolException>(() => _trust.Check(server));

        Assert.True(refused.Status == StatusCode.BadCertificateUntrusted || refused.Status == StatusCode.BadCertificateInvalid, refused.Message);
    }

    [Fact]
    public void A_certificate_whose_CA_has_expired_is_refused_with_the_issuer_time_status()
    {
        using var ca = Authority("CN=Old Plant CA", Now.AddYears(-3), Now.AddDays(-1));
        // Issued while the CA was valid, the server certificate itself still is.
        using var server = Issue(ca, "CN=mill-7", Now.AddDays(-30), Now.AddDays(90));
        Save("trusted", ca);

        var refused = Assert.Throws<OpcUaProtocolException>(() => _trust.Check(server));

        Assert.Equal(StatusCode.BadCertificateIssuerTimeInvalid, refused.Status);
        Assert.Contains("its issuer 'CN=Old Plant CA'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_issued_by_a_trusted_CA_but_itself_expired_is_refused_for_its_own_dates()
    {
        using var ca = Authority("CN=Plant CA", Now.AddYears(-2), Now.AddYears(1));
        using var server = Issue(ca, "CN=mill-7", Now.AddYears(-1), Now.AddDays(-2));
        Save("trusted", ca);

        Assert.Equal(StatusCode.BadCertificateTimeInvalid, Assert.Throws<OpcUaProtocolException>(() => _trust.Check(server)).Status);
    }

    [Fact]
    public void A_self_signed_server_certificate_is_trusted_only_itself_and_a_trusted_CA_does_not_cover_it()
    {
        using var ca = Authority("CN=Plant CA", Now.AddDays(-10), Now.AddYears(1));
        using var self = Authority("CN=mill-7 self-signed", Now.AddDays(-1), Now.AddDays(90));
        Save("trusted", ca);

        Assert.Equal(StatusCode.BadCertificateUntrusted, Assert.Throws<OpcUaProtocolException>(() => _trust.Check(self)).Status);
        _trust.Trust(self);
        _trust.Check(self);
    }

    public void Dispose() => Directory.Delete(_pki, recursive: true);

    private void Save(string folder, X509Certificate2 certificate)
    {
        Directory.CreateDirectory(Path.Combine(_pki, folder));
        File.WriteAllBytes(Path.Combine(_pki, folder, TrustList.FileNameOf(certificate)), certificate.RawData);
    }

    /// <summary>A CA certificate with its key; self-signed unless an issuer is given.</summary>
    private static X509Certificate2 Authority(string subject, DateTimeOffset from, DateTimeOffset to, X509Certificate2? issuer = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(from, to);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var signed = request.Create(issuer, from, to, Serial());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// A server certificate signed by <paramref name="issuer"/>'s key. Made through a signature generator so that its
    /// dates may outlast the issuer's (CertificateRequest.Create with a certificate refuses that), as an expired CA's do.
    /// </summary>
    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, DateTimeOffset from, DateTimeOffset to)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issuerKey = issuer.GetRSAPrivateKey()!;
        using var signed = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1), from, to, Serial());
        return signed.CopyWithPrivateKey(key);
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(12);
}
