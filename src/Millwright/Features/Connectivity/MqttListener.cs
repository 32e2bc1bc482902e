using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Millwright.Hosting;
using Millwright.Mqtt.Server;

namespace Millwright.Features.Connectivity;

/// <summary>Runs the MQTT server inside <c>serve</c>: plain on one address, TLS on a second when a certificate is given.</summary>
internal sealed class MqttListener(MqttServer server, ServeOptions options) : IHostedService
{
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
