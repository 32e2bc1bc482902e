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
    public void A_CA_given_beside_the_folder_trusts_what_it_issued_only_in_the_trust_list_it_was_given_to()
    {
        using var ca = Authority("CN=Tenant Plant CA", Now.AddDays(-10), Now.AddYears(1));
        using var server = Issue(ca, "CN=mill-7", Now.AddDays(-1), Now.AddDays(90));

        new TrustList(_pki, new ManualClock(Now), [ca.RawData]).Check(server);

        var refused = Assert.Throws<OpcUaProtocolException>(() => _trust.Check(server));
        Assert.Equal(StatusCode.BadCertificateUntrusted, refused.Status);
        Assert.Contains("issued by 'CN=Tenant Plant CA', and no CA is trusted", refused.Message, StringComparison.Ordinal);
        // Bytes that are no certificate among the given ones trust nothing and break nothing.
        Assert.Throws<OpcUaProtocolException>(() => new TrustList(_pki, new ManualClock(Now), [[1, 2, 3]]).Check(server));
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

    [Fact]
    public void A_server_certificate_on_its_CAs_revocation_list_is_refused_naming_it_and_one_not_on_it_is_accepted()
    {
        using var ca = Authority("CN=Plant CA", Now.AddDays(-10), Now.AddYears(1));
        using var revoked = Issue(ca, "CN=mill-7", Now.AddDays(-1), Now.AddDays(90));
        using var good = Issue(ca, "CN=mill-8", Now.AddDays(-1), Now.AddDays(90));
        Save("trusted", ca);
        _trust.Check(revoked);

        SaveCrl("trusted/crl", "plant.crl", Crl(ca, revoked));
        var refused = Assert.Throws<OpcUaProtocolException>(() => _trust.Check(revoked));

        Assert.Equal(StatusCode.BadCertificateRevoked, refused.Status);
        Assert.Contains($"'CN=mill-7' (SHA-256 {revoked.GetCertHashString(HashAlgorithmName.SHA256)}) is not trusted: it (serial {revoked.SerialNumber}) is revoked by its issuer 'CN=Plant CA'",
            refused.Message, StringComparison.Ordinal);
        Assert.Contains("revocation list plant.crl", refused.Message, StringComparison.Ordinal);
        _trust.Check(good);
    }

    [Fact]
    public void A_revoked_intermediate_in_a_PEM_list_under_issuers_refuses_what_it_issued()
    {
        using var root = Authority("CN=Group Root", Now.AddDays(-10), Now.AddYears(5));
        using var intermediate = Authority("CN=Plant Issuing CA", Now.AddDays(-5), Now.AddYears(2), root);
        using var server = Issue(intermediate, "CN=press-3", Now.AddDays(-1), Now.AddDays(90));
        Save("trusted", root);
        Save("issuers", intermediate);
        var der = Crl(root, intermediate);
        SaveCrl("issuers/crl", "root.pem", System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("X509 CRL", der)));

        var refused = Assert.Throws<OpcUaProtocolException>(() => _trust.Check(server));

        Assert.Equal(StatusCode.BadCertificateIssuerRevoked, refused.Status);
        Assert.Contains("its issuer 'CN=Plant Issuing CA'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("is revoked by 'CN=Group Root'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revocation_list_not_signed_by_the_CA_it_names_is_refused_and_an_empty_one_of_the_CA_revokes_nothing()
    {
        using var ca = Authority("CN=Plant CA", Now.AddDays(-10), Now.AddYears(1));
        using var impostor = Authority("CN=Plant CA", Now.AddDays(-10), Now.AddYears(1));
        using var server = Issue(ca, "CN=mill-7", Now.AddDays(-1), Now.AddDays(90));
        Save("trusted", ca);
        SaveCrl("trusted/crl", "empty.crl", Crl(ca));
        _trust.Check(server);

        SaveCrl("trusted/crl", "forged.crl", Crl(impostor, server));
        var refused = Assert.Throws<OpcUaProtocolException>(() => _trust.Check(server));

        Assert.Equal(StatusCode.BadCertificateRevocationUnknown, refused.Status);
        Assert.Contains("revocation list forged.crl", refused.Message, StringComparison.Ordinal);
        Assert.Contains("is not signed by it", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chain_the_server_sends_links_its_certificate_to_a_trusted_root_but_is_never_a_trust_anchor_itself()
    {
        using var root = Authority("CN=Group Root", Now.AddDays(-10), Now.AddYears(5));
        using var intermediate = Authority("CN=Plant Issuing CA", Now.AddDays(-5), Now.AddYears(2), root);
        using var server = Issue(intermediate, "CN=press-3", Now.AddDays(-1), Now.AddDays(90));
        using var stranger = Authority("CN=Stranger Root", Now.AddDays(-10), Now.AddYears(5));
        using var strangerIntermediate = Authority("CN=Stranger Issuing CA", Now.AddDays(-5), Now.AddYears(2), stranger);
        using var strangerServer = Issue(strangerIntermediate, "CN=rogue", Now.AddDays(-1), Now.AddDays(90));
        Save("trusted", root);

        _trust.Check(server, [intermediate]);
        Assert.Equal(StatusCode.BadCertificateUntrusted, Assert.Throws<OpcUaProtocolException>(() => _trust.Check(server)).Status);
        Assert.Equal(StatusCode.BadCertificateUntrusted, Assert.Throws<OpcUaProtocolException>(() => _trust.Check(strangerServer, [strangerIntermediate, stranger])).Status);

        // The chain as a server sends it (DER certificates one after the other) splits into the same certificates.
        var split = OpcUaClient.CertificateChain([.. server.RawData, .. intermediate.RawData]);
        Assert.Equal(new[] { server.Thumbprint, intermediate.Thumbprint }, split.Select(c => c.Thumbprint));
        _trust.Check(split[0], split[1..]);
        SaveCrl("issuers/crl", "root.crl", Crl(root, intermediate));
        Assert.Equal(StatusCode.BadCertificateIssuerRevoked, Assert.Throws<OpcUaProtocolException>(() => _trust.Check(split[0], split[1..])).Status);
        split.ForEach(c => c.Dispose());
    }

    public void Dispose() => Directory.Delete(_pki, recursive: true);

    private void SaveCrl(string folder, string name, byte[] bytes)
    {
        Directory.CreateDirectory(Path.Combine(_pki, folder));
        File.WriteAllBytes(Path.Combine(_pki, folder, name), bytes);
    }

    /// <summary>A revocation list signed by <paramref name="issuer"/>'s key, naming <paramref name="revoked"/>.</summary>
    private static byte[] Crl(X509Certificate2 issuer, params X509Certificate2[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, Now.AddHours(-1), X509RevocationReason.KeyCompromise);
        }

        return builder.Build(issuer, 1, Now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, Now.AddHours(-1));
    }

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
