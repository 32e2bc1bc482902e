using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Millwright.Api;
using Millwright.Storage;

namespace Millwright.Features.OpcUa;

/// <summary>
/// A tenant's trusted OPC UA CAs (table opcua_trusted_cas): CA certificates uploaded over REST. The tenant's own OPC UA
/// links trust the server certificates they issued (<see cref="OpcUaMachines"/> gives them to the trust list as
/// anchors); another tenant's links never see them.
/// </summary>
internal static class OpcUaTrustedCas
{
    /// <summary>A CA list is a short list of plant and group authorities; the bound keeps each link's chain check small.</summary>
    public const int MaxPerTenant = 50;

    /// <summary>A certificate is a few KiB; a CA with a long chain of names still fits well within this.</summary>
    public const int MaxTextLength = 64 * 1024;

    private const string Columns = "id, tenant_id, subject, sha256, not_before, not_after, added_by, created_at";

    public static async Task<Page<OpcUaTrustedCaDto>> ListAsync(Session s)
    {
        var rows = await s.QueryAsync<TrustedCaRow>($"SELECT {Columns} FROM opcua_trusted_cas WHERE tenant_id = @Tenant ORDER BY id", new { s.Tenant });
        return new Page<OpcUaTrustedCaDto>([.. rows.Select(r => r.AsDto())], null);
    }

    public static async Task<OpcUaTrustedCaDto> AddAsync(Session s, OpcUaTrustedCaInput input, TimeProvider clock)
    {
        using var certificate = Parse(input.Certificate, clock.GetUtcNow());
        var count = await s.ScalarAsync<long>("SELECT COUNT(*) FROM opcua_trusted_cas WHERE tenant_id = @Tenant", new { s.Tenant });
        if (count >= MaxPerTenant)
        {
            throw ApiProblem.Conflict($"this tenant already trusts {count} CAs, the most it may; delete one first.");
        }

        var sha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var row = new
        {
            s.Tenant, certificate.Subject, sha256, NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()).ToUnixTimeMilliseconds(),
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeMilliseconds(), Der = certificate.RawData, s.Caller.Actor, s.Now,
        };
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO opcua_trusted_cas (tenant_id, subject, sha256, not_before, not_after, der, added_by, created_at)
                VALUES (@Tenant, @Subject, @sha256, @NotBefore, @NotAfter, @Der, @Actor, @Now) RETURNING id
                """, row),
            $"the CA '{certificate.Subject}' (SHA-256 {sha256}) is already trusted.");
        await s.AuditAsync("create", "opcua_trusted_ca", id, $"trusted OPC UA CA '{certificate.Subject}' (SHA-256 {sha256}, valid to {certificate.NotAfter.ToUniversalTime():u})");
        await RestartSecuredLinksAsync(s);
        return (await s.QueryOneAsync<TrustedCaRow>($"SELECT {Columns} FROM opcua_trusted_cas WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))!.AsDto();
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var row = await s.QueryOneAsync<TrustedCaRow>($"SELECT {Columns} FROM opcua_trusted_cas WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id })
            ?? throw ApiProblem.NotFound("trusted CA", id);
        await s.ExecuteAsync("DELETE FROM opcua_trusted_cas WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        await s.AuditAsync("delete", "opcua_trusted_ca", id, $"no longer trusts OPC UA CA '{row.Subject}' (SHA-256 {row.Sha256})");
        await RestartSecuredLinksAsync(s);
    }

    /// <summary>The tenant's CAs as DER, for its links' trust lists; read outside any request, so scoped here by the link's tenant.</summary>
    public static async Task<IReadOnlyList<byte[]>> ForTenantAsync(IDatabase database, long tenant, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<byte[]>(new CommandDefinition(
            "SELECT der FROM opcua_trusted_cas WHERE tenant_id = @tenant ORDER BY id", new { tenant }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// A changed trust decides the tenant's secured links again at once: a link waiting in back-off for a CA connects,
    /// a session a deleted CA let in is closed and checked anew.
    /// </summary>
    private static async Task RestartSecuredLinksAsync(Session s) =>
        await s.ExecuteAsync("UPDATE opcua_connections SET updated_at = @Now WHERE tenant_id = @Tenant AND security <> 'None'", new { s.Now, s.Tenant });

    /// <summary>
    /// One CA certificate from PEM text or base64 DER, valid now. Refused, naming the field: no certificate, more than
    /// one, a private key beside it, a certificate that is not a CA (basic constraints, OPC 10000-12 / RFC 5280 4.2.1.9)
    /// or may not sign certificates (key usage keyCertSign), or one outside its dates.
    /// </summary>
    public static X509Certificate2 Parse(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiProblem.Invalid("certificate", "a CA certificate: PEM (-----BEGIN CERTIFICATE-----) or base64 DER");
        }

        if (text.Length > MaxTextLength)
        {
            throw ApiProblem.Invalid("certificate", $"at most {MaxTextLength} characters; a CA certificate is a few KiB");
        }

        var certificate = Decode(text);
        try
        {
            var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (constraints is not { CertificateAuthority: true })
            {
                throw ApiProblem.Invalid("certificate",
                    $"'{certificate.Subject}' is not a CA: its basic constraints {(constraints is null ? "are missing" : "say it is an end entity")}; upload the CA that issued the server's certificate, or trust the server's own certificate with POST /api/v1/machines/ID/opcua/trust");
            }

            if (certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && (usage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0)
            {
                throw ApiProblem.Invalid("certificate", $"'{certificate.Subject}' is a CA whose key usage does not allow signing certificates (keyCertSign)");
            }

            var (from, to) = (certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
            if (now.UtcDateTime > to)
            {
                throw ApiProblem.Invalid("certificate", $"'{certificate.Subject}' expired at {to:u}");
            }

            if (now.UtcDateTime < from)
            {
                throw ApiProblem.Invalid("certificate", $"'{certificate.Subject}' is not valid before {from:u}");
            }

            return certificate;
        }
        catch (CryptographicException e)
        {
            // An extension whose contents do not decode (the certificate itself parsed).
            var subject = certificate.Subject;
            certificate.Dispose();
            throw ApiProblem.Invalid("certificate", $"'{subject}' has an extension that does not parse: {e.Message}");
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    private static X509Certificate2 Decode(string text)
    {
        byte[] der;
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            if (text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            {
                throw ApiProblem.Invalid("certificate", "the text holds a private key: upload only the CA's certificate, and keep its key where it is");
            }

            var blocks = new List<byte[]>();
            var rest = text.AsSpan();
            while (PemEncoding.TryFind(rest, out var fields))
            {
                if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
                {
                    blocks.Add(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
                }

                rest = rest[fields.Location.End..];
            }

            der = blocks.Count switch
            {
                0 => throw ApiProblem.Invalid("certificate", "the PEM text holds no readable CERTIFICATE block"),
                1 => blocks[0],
                _ => throw ApiProblem.Invalid("certificate", $"the PEM text holds {blocks.Count} certificates; upload one CA at a time"),
            };
        }
        else
        {
            der = new byte[text.Length];
            if (!Convert.TryFromBase64String(text.Trim(), der, out var written))
            {
                throw ApiProblem.Invalid("certificate", "neither PEM (-----BEGIN CERTIFICATE-----) nor base64 DER");
            }

            der = der[..written];
        }

        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw ApiProblem.Invalid("certificate", $"not an X.509 certificate: {e.Message}");
        }
    }

    private sealed class TrustedCaRow
    {
        public long Id { get; set; }
        public long TenantId { get; set; }
        public string Subject { get; set; } = "";
        public string Sha256 { get; set; } = "";
        public long NotBefore { get; set; }
        public long NotAfter { get; set; }
        public string AddedBy { get; set; } = "";
        public long CreatedAt { get; set; }

        public OpcUaTrustedCaDto AsDto() => new(Id, TenantId, Subject, Sha256, DateTimeOffset.FromUnixTimeMilliseconds(NotBefore),
            DateTimeOffset.FromUnixTimeMilliseconds(NotAfter), AddedBy, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }
}
