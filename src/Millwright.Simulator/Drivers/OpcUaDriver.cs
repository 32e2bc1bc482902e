using System.Net;
using Millwright.OpcUa;
using Millwright.OpcUa.Server;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// A machine that is an OPC UA server (our own <see cref="OpcUaServer"/>, policy None, anonymous): it listens on its
/// own loopback port and sets one variable per tag (<c>ns=1;s=TAG</c>, see <see cref="NodeFor"/>) every tick; the
/// platform is the client, subscribes to them and, in job mode, calls the methods of its job object
/// (<see cref="OpcUaJobObject"/>). "Connected" means listening.
/// </summary>
internal sealed class OpcUaDriver(IPEndPoint endPoint, IReadOnlyList<string> tags, bool takesJobs = false) : IMachineDriver, IJobChannel
{
    private OpcUaServer? _server;
    private OpcUaJobObject? _jobs;

    public Protocol Protocol => Protocol.OpcUa;

    public IPEndPoint EndPoint => _server?.LocalEndPoint ?? endPoint;

    /// <summary>The node a tag's value is served at.</summary>
    public static NodeId NodeFor(string tag) => new(1, tag);

    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        var server = new OpcUaServer(endPoint);
        // Every tag's node exists from the start (null until the first tick), so a client that subscribes at once is not refused.
        foreach (var tag in tags)
        {
            server.Space.Set(NodeFor(tag), Variant.Null);
        }

        server.Start();
        // The job object is there in every mode (as the Modbus job block): a machine not taking jobs leaves its calls queued.
        _jobs = new OpcUaJobObject(server.Space);
        _server = server;
        return Task.CompletedTask;
    }

    public Task<int> SendAsync(IReadOnlyDictionary<string, object> values, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var space = _server?.Space ?? throw new InvalidOperationException("the OPC UA server is not started");
        var at = timestamp.UtcDateTime;
        foreach (var (tag, value) in values)
        {
            space.Set(NodeFor(tag), value switch
            {
                bool b => Variant.From(b),
                string s => Variant.From(s),
                var v => Variant.From(Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)),
            }, at);
        }

        // Nothing crosses the network until the platform's subscription publishes.
        return Task.FromResult(0);
    }

    public bool TryTakeCommand(out byte[] payload)
    {
        payload = [];
        return takesJobs && _jobs is { } jobs && jobs.TryTake(out payload);
    }

    public Task AnswerAsync(byte[] json, CancellationToken cancellationToken)
    {
        _jobs?.Answer(json);
        return Task.CompletedTask;
    }

    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());
}
