using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Millwright.OpcUa.Crypto;

/// <summary>
/// The client's application instance certificate (OPC 10000-4 6.1): self-signed RSA 2048 / SHA-256, its subject
/// alternative name carrying the application URI the client announces in CreateSession (servers compare the two).
/// Generated once and kept as own/client.pfx under the PKI directory, readable by the owner only.
/// </summary>
internal static class ApplicationCertificate
{
    public const string FileName = "client.pfx";

    private static readonly SemaphoreSlim Creating = new(1, 1);

    public static async Task<X509Certificate2> LoadOrCreateAsync(string pkiDirectory, string applicationUri, TimeProvider time, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        var own = Path.Combine(pkiDirectory, "own");
        var file = Path.Combine(own, FileName);
        await Creating.WaitAsync(ct);
        try
        {
            if (File.Exists(file))
            {
                var existing = X509CertificateLoader.LoadPkcs12FromFile(file, null, X509KeyStorageFlags.Exportable);
                if (existing.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddDays(1))
                {
                    return existing;
                }

                existing.Dispose(); // expired or about to: make a new one
            }

            using var created = Create(applicationUri, time.GetUtcNow());
            var pfx = created.Export(X509ContentType.Pkcs12);
            CreatePrivateDirectory(own);
            var temporary = file + ".tmp";
            await File.WriteAllBytesAsync(temporary, pfx, ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temporary, file, overwrite: true);
            return X509CertificateLoader.LoadPkcs12(pfx, null, X509KeyStorageFlags.Exportable);
        }
        finally
        {
            Creating.Release();
        }
    }

    public static X509Certificate2 Create(string applicationUri, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Millwright OPC UA client, O=Millwright, DC={Environment.MachineName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(applicationUri));
        names.AddDnsName(Environment.MachineName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment
            | X509KeyUsageFlags.DataEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.1")], false)); // client and server authentication
        var subjectKey = new X509SubjectKeyIdentifierExtension(request.PublicKey, false);
        request.CertificateExtensions.Add(subjectKey);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKey));
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
    }

    internal static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
