using Millwright.OpcUa.Crypto;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa.Tests;

/// <summary>
/// Basic256Sha256 against node-opcua's server (its Sign and SignAndEncrypt endpoints): the client refuses a server
/// certificate its trust list lacks, and once trusted reads, writes, calls and logs in over the protected channel.
/// </summary>
public sealed class SecurityTests(NodeOpcUaServer server) : IClassFixture<NodeOpcUaServer>, IDisposable
{
    private readonly string _pki = Path.Combine(Path.GetTempPath(), $"millwright-opcua-pki-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_pki))
        {
            Directory.Delete(_pki, recursive: true);
        }
    }

    [Fact]
    public async Task An_untrusted_server_certificate_is_refused_and_kept_for_review()
    {
        var refused = await Assert.ThrowsAsync<OpcUaProtocolException>(() => ConnectAsync(MessageSecurityMode.SignAndEncrypt));

        Assert.Equal(StatusCode.BadCertificateUntrusted, refused.Status);
        Assert.Contains("is not trusted", refused.Message, StringComparison.Ordinal);
        var kept = Assert.Single(Directory.GetFiles(Path.Combine(_pki, "rejected")));
        Assert.Contains($"rejected/{Path.GetFileName(kept)}", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_pki, "trusted")));
    }

    [Fact]
    public async Task Once_trusted_a_SignAndEncrypt_session_reads_writes_and_calls()
    {
        await TrustServerAsync();
        await using var client = await ConnectAsync(MessageSecurityMode.SignAndEncrypt);

        var written = await client.WriteAsync([(server.Node("Setpoint"), Variant.From(12.5))]);
        var values = await client.ReadValuesAsync([server.Node("Setpoint"), server.Node("Scalar.String")]);
        var product = await client.CallAsync(server.Node("Machine"), server.Node("Multiply"), [Variant.From(6.0), Variant.From(7.0)]);

        Assert.True(written[0].IsGood, written[0].ToString());
        Assert.Equal(12.5, values[0].Value.Value);
        Assert.Equal("Grüße from OPC UA", values[1].Value.Value);
        Assert.Equal(42.0, Assert.Single(product.OutputArguments).Value);
        Assert.True(File.Exists(Path.Combine(_pki, "own", ApplicationCertificate.FileName)));
    }

    [Fact]
    public async Task A_Sign_session_with_a_user_name_works_and_a_wrong_password_is_refused()
    {
        await TrustServerAsync();
        await using (var client = await ConnectAsync(MessageSecurityMode.Sign, "operator", "secret"))
        {
            Assert.True((await client.ReadValuesAsync([server.Node("Setpoint")]))[0].Status.IsGood);
        }

        var refused = await Assert.ThrowsAsync<OpcUaProtocolException>(() => ConnectAsync(MessageSecurityMode.Sign, "operator", "wrong"));
        Assert.True(refused.Status.IsBad);
    }

    [Fact]
    public async Task A_large_value_travels_in_encrypted_chunks_both_ways()
    {
        await TrustServerAsync();
        await using var client = await ConnectAsync(MessageSecurityMode.SignAndEncrypt, limits: new TransportLimits(ReceiveBufferSize: 8192, SendBufferSize: 8192));
        var text = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"{i % 10}abcdefghi"));

        var written = await client.WriteAsync([(server.Node("Text"), Variant.From(text))]);
        var back = await client.ReadValuesAsync([server.Node("Text")]);

        Assert.True(written[0].IsGood, written[0].ToString());
        Assert.Equal(text, back[0].Value.Value);
    }

    [Fact]
    public async Task The_client_certificate_is_made_once_and_reused()
    {
        await TrustServerAsync();
        await using (await ConnectAsync(MessageSecurityMode.Sign))
        {
        }

        var first = await File.ReadAllBytesAsync(Path.Combine(_pki, "own", ApplicationCertificate.FileName));
        await using (await ConnectAsync(MessageSecurityMode.SignAndEncrypt))
        {
        }

        Assert.Equal(first, await File.ReadAllBytesAsync(Path.Combine(_pki, "own", ApplicationCertificate.FileName)));
    }

    /// <summary>What a person does: look at the endpoint's certificate and put it in the trust list.</summary>
    private async Task TrustServerAsync()
    {
        var endpoints = await OpcUaClient.GetEndpointsAsync(new OpcUaClientOptions(server.Endpoint));
        var secured = endpoints.First(e => e.SecurityPolicyUri == Basic256Sha256.Uri);
        using var certificate = OpcUaClient.LeafCertificate(secured.ServerCertificate!);
        new TrustList(_pki, TimeProvider.System).Trust(certificate);
    }

    private Task<OpcUaClient> ConnectAsync(MessageSecurityMode mode, string? user = null, string? password = null, TransportLimits? limits = null) =>
        OpcUaClient.ConnectAsync(new OpcUaClientOptions(server.Endpoint)
        {
            Security = OpcUaClientOptions.SecurityBasic256Sha256, Mode = mode, PkiDirectory = _pki, User = user, Password = password,
            Limits = limits ?? TransportLimits.Default, RequestTimeout = TimeSpan.FromSeconds(30),
        });
}
