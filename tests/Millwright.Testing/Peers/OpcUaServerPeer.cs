using System.Net;
using System.Net.Sockets;

namespace Millwright.Testing;

/// <summary>
/// node-opcua's server (npm node-opcua-server) run through tests/peers/opcua_server.js with its variety address
/// space (the script lists it); <see cref="Endpoint"/> is opc.tcp://127.0.0.1:PORT once it listens.
/// </summary>
internal sealed class OpcUaServerPeer : IAsyncDisposable
{
    private OpcUaServerPeer(PeerProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public PeerProcess Process { get; }

    public int Port { get; }

    public string Endpoint => $"opc.tcp://127.0.0.1:{Port}";

    /// <summary>
    /// Starts the server; <paramref name="counterSuffix"/> changes the Counter's node id (ns=2;s=Counter{suffix}), as a
    /// rebuilt address space would. With <paramref name="certificate"/> (PEM files of a certificate and its key, and the
    /// application URI it names) the server presents that certificate instead of its own self-signed one.
    /// </summary>
    public static async Task<OpcUaServerPeer> StartAsync(int? port = null, string counterSuffix = "",
        (string CertificateFile, string PrivateKeyFile, string ApplicationUri)? certificate = null)
    {
        var chosen = port ?? FreePort();
        string[] presented = certificate is { } c ? [c.CertificateFile, c.PrivateKeyFile, c.ApplicationUri] : [];
        var process = PeerProcess.Start(NodePeers.Node, [NodePeers.Script("opcua_server.js", "node-opcua-server"), chosen.ToString(System.Globalization.CultureInfo.InvariantCulture),
            counterSuffix, .. presented]);
        try
        {
            // The first start generates the server's key pair, which takes a while on a busy machine.
            var line = await process.WaitForLineAsync(l => l.Contains("\"event\":\"ready\"", StringComparison.Ordinal) || l.Contains("\"event\":\"error\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(120));
            return line.Contains("\"error\"", StringComparison.Ordinal)
                ? throw new InvalidOperationException($"the node-opcua server did not start: {line}")
                : new OpcUaServerPeer(process, chosen);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
