using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>The TLS listener with a certificate and key from PEM files, as <c>serve --mqtt-tls</c> loads them.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mw-tls-");

    [Fact]
    public async Task Mosquitto_clients_publish_and_subscribe_over_TLS_with_a_PEM_certificate()
    {
        var (certPath, keyPath) = WriteSelfSignedPem();
        using var certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        await using var server = new MqttServer(new MqttServerOptions(), new OpenGate(allowAnonymous: true));
        var endpoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0), certificate);

        await using var subscriber = await MosquittoClients.SubscribeAsync(endpoint.Port, MqttProtocolVersion.V500, "secure/#", 1, "--cafile", certPath);
        await MosquittoClients.PublishAsync(endpoint.Port, MqttProtocolVersion.V311, "secure/line-1", "sealed", 1, false, "--cafile", certPath);

        var message = Assert.Single(await MosquittoClients.WaitForMessagesAsync(subscriber, 1));
        Assert.Equal("secure/line-1", message.Topic);
        Assert.Equal("sealed", message.Payload);
    }

    [Fact]
    public async Task A_plain_client_on_the_TLS_port_is_refused_and_the_listener_keeps_serving()
    {
        var (certPath, keyPath) = WriteSelfSignedPem();
        using var certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        await using var server = new MqttServer(new MqttServerOptions(), new OpenGate(allowAnonymous: true));
        var endpoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0), certificate);

        await using (var plain = PeerProcess.Start("/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "x", "-m", "y"]))
        {
            Assert.NotEqual(0, await plain.WaitForExitAsync());
        }

        await MosquittoClients.PublishAsync(endpoint.Port, MqttProtocolVersion.V500, "secure/after", "still here", 1, false, "--cafile", certPath);
    }

    [Fact]
    public async Task A_TLS_connection_never_parks_in_the_readiness_loop()
    {
        var (certPath, keyPath) = WriteSelfSignedPem();
        using var certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        await using var server = new MqttServer(new MqttServerOptions(), new OpenGate(allowAnonymous: true));
        var endpoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0), certificate);

        // TLS reads go through SslStream on .NET's socket operations: the connection is served, never parked.
        await using var subscriber = await MosquittoClients.SubscribeAsync(endpoint.Port, MqttProtocolVersion.V500, "secure/#", 1, "--cafile", certPath);
        var connection = Assert.Single(server.Connections);
        Assert.Null(connection.ParkableHandle);
        Assert.False(connection.IsParked);
        await MosquittoClients.PublishAsync(endpoint.Port, MqttProtocolVersion.V311, "secure/idle", "still served", 1, false, "--cafile", certPath);
        Assert.Equal("still served", Assert.Single(await MosquittoClients.WaitForMessagesAsync(subscriber, 1)).Payload);
    }

    private (string Cert, string Key) WriteSelfSignedPem()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        // Self-signed and used as its own trust anchor by the client (--cafile), so it is also a CA.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(_directory.FullName, "server.crt");
        var keyPath = Path.Combine(_directory.FullName, "server.key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
