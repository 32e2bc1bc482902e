using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;
using Millwright.Tests.Modbus;

namespace Millwright.Tests.OpcUa;

/// <summary>
/// A tenant's trusted OPC UA CAs over REST (/api/v1/opcua/trusted-cas), with certificates made here: stored and listed
/// per tenant, refused with the reason when they are no CA certificate valid now, and trusted by that tenant's links
/// only (against the node-opcua server presenting a certificate one of them issued).
/// </summary>
public abstract class TrustedCaTests(HostFixture fixture)
{
    private const string Cas = "/api/v1/opcua/trusted-cas";
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_CA_uploaded_as_PEM_or_DER_is_listed_with_subject_thumbprint_and_dates_deleted_and_audited()
    {
        using var t = await Host.CreateTenantAsync();
        using var other = await Host.CreateTenantAsync();
        using var plantCa = TestAuthorities.Authority("CN=Plant CA, O=Acme");
        using var groupCa = TestAuthorities.Authority("CN=Group Root", to: DateTimeOffset.UtcNow.AddYears(5));

        var pem = await t.Admin.PostJsonAsync(Cas, new { certificate = TestAuthorities.Pem(plantCa) }, HttpStatusCode.Created);
        var der = await t.Admin.PostJsonAsync(Cas, new { certificate = Convert.ToBase64String(groupCa.RawData) }, HttpStatusCode.Created);
        Assert.Equal("CN=Plant CA, O=Acme", pem["subject"]!.GetValue<string>());
        Assert.Equal(plantCa.GetCertHashString(HashAlgorithmName.SHA256), pem["sha256"]!.GetValue<string>());
        Assert.Equal(plantCa.NotAfter.ToUniversalTime(), pem["notAfter"]!.GetValue<DateTimeOffset>().UtcDateTime, TimeSpan.FromSeconds(1));
        Assert.Equal(groupCa.GetCertHashString(HashAlgorithmName.SHA256), der["sha256"]!.GetValue<string>());

        var listed = (await t.Viewer.GetJsonAsync(Cas))["items"]!.AsArray();
        Assert.Equal(["CN=Plant CA, O=Acme", "CN=Group Root"], listed.Select(c => c!["subject"]!.GetValue<string>()));
        Assert.All(listed, c => Assert.Equal(t.Id, c!["tenantId"]!.GetValue<long>()));

        // The same CA twice is a conflict; another tenant sees none of them and cannot delete them; an operator may not add.
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, Cas, new { certificate = TestAuthorities.Pem(plantCa) }, HttpStatusCode.Conflict, "already trusted");
        Assert.Empty((await other.Viewer.GetJsonAsync(Cas))["items"]!.AsArray());
        await other.Admin.SendExpectingProblemAsync(HttpMethod.Delete, $"{Cas}/{pem.Id()}", null, HttpStatusCode.NotFound, "no trusted CA");
        using var byOperator = await t.Operator.SendRawAsync(HttpMethod.Post, Cas, $$"""{"certificate": "{{Convert.ToBase64String(plantCa.RawData)}}"}""");
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);

        using var deleted = await t.Admin.SendRawAsync(HttpMethod.Delete, $"{Cas}/{pem.Id()}", "");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(["CN=Group Root"], (await t.Viewer.GetJsonAsync(Cas))["items"]!.AsArray().Select(c => c!["subject"]!.GetValue<string>()));
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Delete, $"{Cas}/{pem.Id()}", null, HttpStatusCode.NotFound, "no trusted CA");

        var audit = (await t.Admin.GetJsonAsync("/api/v1/audit?limit=50"))["items"]!.AsArray().Select(e => e!["summary"]!.GetValue<string>()).ToList();
        Assert.Contains(audit, s => s.StartsWith("trusted OPC UA CA 'CN=Plant CA, O=Acme'", StringComparison.Ordinal));
        Assert.Contains(audit, s => s.StartsWith("no longer trusts OPC UA CA 'CN=Plant CA, O=Acme'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task What_is_not_a_CA_certificate_valid_now_is_refused_with_the_reason_and_nothing_is_stored()
    {
        using var t = await Host.CreateTenantAsync();
        using var endEntity = TestAuthorities.Authority("CN=mill-7", isCa: false);
        using var cannotSign = TestAuthorities.Authority("CN=Signing-less CA", canSign: false);
        using var expired = TestAuthorities.Authority("CN=Old CA", DateTimeOffset.UtcNow.AddYears(-3), DateTimeOffset.UtcNow.AddDays(-1));
        using var future = TestAuthorities.Authority("CN=Future CA", DateTimeOffset.UtcNow.AddDays(2), DateTimeOffset.UtcNow.AddYears(2));
        using var good = TestAuthorities.Authority("CN=Good CA");

        var cases = new (object Body, string Reason)[]
        {
            (new { }, "a CA certificate"),
            (new { certificate = "" }, "a CA certificate"),
            (new { certificate = "hello, I am a certificate" }, "neither PEM"),
            (new { certificate = Convert.ToBase64String(RandomNumberGenerator.GetBytes(600)) }, "not an X.509 certificate"),
            (new { certificate = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" }, "not an X.509 certificate"),
            (new { certificate = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" }, "no readable CERTIFICATE"),
            (new { certificate = TestAuthorities.Pem(good) + "\n" + TestAuthorities.PrivateKeyPem(good) }, "private key"),
            (new { certificate = TestAuthorities.Pem(good) + "\n" + TestAuthorities.Pem(expired) }, "2 certificates"),
            (new { certificate = TestAuthorities.Pem(endEntity) }, "'CN=mill-7' is not a CA"),
            (new { certificate = TestAuthorities.Pem(cannotSign) }, "keyCertSign"),
            (new { certificate = TestAuthorities.Pem(expired) }, "'CN=Old CA' expired at"),
            (new { certificate = TestAuthorities.Pem(future) }, "'CN=Future CA' is not valid before"),
            (new { certificate = new string('A', 70_000) }, "at most"),
        };
        foreach (var (body, reason) in cases)
        {
            var problem = await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, Cas, body, HttpStatusCode.BadRequest, reason);
            Assert.True(problem["errors"]!.AsObject().ContainsKey("certificate"), problem.ToJsonString());
        }

        Assert.Empty((await t.Viewer.GetJsonAsync(Cas))["items"]!.AsArray());
        await t.Admin.PostJsonAsync(Cas, new { certificate = TestAuthorities.Pem(good) }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_server_certificate_issued_by_a_tenants_CA_is_trusted_for_its_links_and_refused_for_another_tenants_with_the_reason()
    {
        using var a = await Host.CreateTenantAsync();
        using var b = await Host.CreateTenantAsync();
        var plantA = await Plant.CreateAsync(a);
        var plantB = await Plant.CreateAsync(b);
        using var ca = TestAuthorities.Authority($"CN={plantA.Marker} Plant CA");
        const string applicationUri = "urn:millwright:test-peer:ca-signed";
        using var presented = TestAuthorities.Server(ca, "CN=mill-7 (CA-signed)", applicationUri);
        var folder = Directory.CreateTempSubdirectory("mw-opcua-ca-").FullName;
        var (certificateFile, keyFile) = (Path.Combine(folder, "server.pem"), Path.Combine(folder, "server.key"));
        await File.WriteAllTextAsync(certificateFile, TestAuthorities.Pem(presented));
        await File.WriteAllTextAsync(keyFile, TestAuthorities.PrivateKeyPem(presented));
        var server = await OpcUaServerPeer.StartAsync(certificate: (certificateFile, keyFile, applicationUri));
        try
        {
            var trusted = await a.Admin.PostJsonAsync(Cas, new { certificate = TestAuthorities.Pem(ca) }, HttpStatusCode.Created);
            foreach (var (t, plant) in new[] { (a, plantA), (b, plantB) })
            {
                await t.Operator.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/opcua", new
                {
                    endpoint = server.Endpoint, security = "Basic256Sha256", securityMode = "SignAndEncrypt", publishingIntervalMs = 100,
                    nodes = new object[] { new { nodeId = "ns=2;s=Counter", tag = "power", samplingIntervalMs = 100 } },
                }, HttpStatusCode.OK);
            }

            // A's link trusts the server through A's CA, without the server's own certificate anywhere: values flow.
            await Eventually.ValueAsync(() => a.Viewer.GetJsonAsync($"/api/v1/machines/{plantA.MachineId}/latest"),
                l => l["connection"]?["online"]?.GetValue<bool>() == true && l["values"]!.AsArray().Any(v => v!["tag"]!.GetValue<string>() == "power"),
                "A's values through its CA", Soon);

            // B's link to the same server is refused, and its machine says why: the issuer is none of B's.
            var refused = await RefusedAsync(b, plantB);
            Assert.Contains($"issued by 'CN={plantA.Marker} Plant CA'", refused, StringComparison.Ordinal);
            Assert.Contains("/api/v1/opcua/trusted-cas", refused, StringComparison.Ordinal);

            // Once A no longer trusts the CA, A's link is checked anew and refused the same way.
            using var deleted = await a.Admin.SendRawAsync(HttpMethod.Delete, $"{Cas}/{trusted.Id()}", "");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            Assert.Contains("is not trusted", await RefusedAsync(a, plantA), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> RefusedAsync(TestTenant t, Plant plant)
    {
        var link = await Eventually.ValueAsync(() => t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/opcua"),
            c => c["connection"] is JsonObject connection && !connection["online"]!.GetValue<bool>() && connection["detail"]!.GetValue<string>().Contains("not trusted", StringComparison.Ordinal),
            "the refused link", Soon);
        return link["connection"]!["detail"]!.GetValue<string>();
    }

    // The hosts whose egress policy opens loopback, where the node-opcua server listens.
    public sealed class OnSqlite(ModbusSqliteHost host) : TrustedCaTests(host), IClassFixture<ModbusSqliteHost>;

    public sealed class OnPostgres(ModbusPostgresHost host) : TrustedCaTests(host), IClassFixture<ModbusPostgresHost>;
}
