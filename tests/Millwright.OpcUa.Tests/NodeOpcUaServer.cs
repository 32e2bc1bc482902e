namespace Millwright.OpcUa.Tests;

/// <summary>One node-opcua server for a test class: starting it costs seconds, the tests share it.</summary>
public sealed class NodeOpcUaServer : IAsyncLifetime
{
    private OpcUaServerPeer? _peer;

    internal OpcUaServerPeer Peer => _peer ?? throw new InvalidOperationException("the server is not started");

    internal Uri Endpoint => new(Peer.Endpoint);

    /// <summary>The index of the peer's namespace urn:millwright:test on the server.</summary>
    internal ushort Ns { get; private set; }

    public async Task InitializeAsync()
    {
        _peer = await OpcUaServerPeer.StartAsync();
        await using var client = await ConnectAsync();
        Ns = (ushort)(await client.ReadNamespacesAsync()).ToList().IndexOf("urn:millwright:test");
    }

    /// <summary>A string node id in the peer's namespace.</summary>
    internal NodeId Node(string id) => new(Ns, id);

    public async Task DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }

    internal Task<OpcUaClient> ConnectAsync(string? user = null, string? password = null, Transport.TransportLimits? limits = null) =>
        OpcUaClient.ConnectAsync(new OpcUaClientOptions(Endpoint)
        {
            User = user, Password = password, Limits = limits ?? Transport.TransportLimits.Default, RequestTimeout = TimeSpan.FromSeconds(30),
        });
}
