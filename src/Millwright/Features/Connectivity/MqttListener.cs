using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Millwright.Hosting;
using Millwright.Mqtt.Server;

namespace Millwright.Features.Connectivity;

/// <summary>Runs the MQTT server inside <c>serve</c>: plain on one address, TLS on a second when a certificate is given.</summary>
internal sealed class MqttListener(MqttServer server, ServeOptions options) : IHostedService
{
    /// <summary>The platform's Sparkplug host id, in spBv1.0/STATE/{host id}.</summary>
    public const string HostId = "millwright";

    public IReadOnlyList<IPEndPoint> Endpoints => server.Endpoints;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Mqtt is { } plain)
        {
            Listen(plain, null);
        }

        if (options.MqttTls is { } tls)
        {
            Listen(tls.EndPoint, X509Certificate2.CreateFromPemFile(tls.CertificatePemPath, tls.KeyPemPath));
        }

        // Sparkplug B 3.0 (5.6): the host application announces itself with a retained STATE birth, so that
        // edge nodes waiting for their primary host start publishing.
        var state = $$"""{"online":true,"timestamp":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""";
        server.Publish($"spBv1.0/STATE/{HostId}", System.Text.Encoding.UTF8.GetBytes(state), Mqtt.QualityOfService.AtLeastOnce, retain: true, thisNodeOnly: true);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();

    private void Listen(IPEndPoint endPoint, X509Certificate2? certificate)
    {
        try
        {
            server.Listen(endPoint, certificate);
        }
        catch (SocketException e)
        {
            // Kestrel reports a taken port as IOException; so does this, so that serve has one message for both.
            throw new IOException($"cannot listen on {endPoint} (MQTT): {e.Message}", e);
        }
    }
}
