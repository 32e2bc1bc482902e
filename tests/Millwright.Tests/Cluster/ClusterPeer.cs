using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Millwright.Features.Cluster;
using Millwright.Hosting;
using Millwright.Storage;

namespace Millwright.Tests.Cluster;

/// <summary>One real Millwright node of a test cluster: the whole app on loopback (HTTP and MQTT), in this process.</summary>
internal sealed class ClusterPeer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IDatabase _database;
    private readonly string _directory;
    private bool _stopped;

    private ClusterPeer(WebApplication app, IDatabase database, string directory, string nodeId)
    {
        _app = app;
        _database = database;
        _directory = directory;
        NodeId = nodeId;
        BaseAddress = new Uri(app.Urls.First());
    }

    public string NodeId { get; }

    public Uri BaseAddress { get; }

    public int MqttPort => Service<Features.Connectivity.MqttListener>().Endpoints[0].Port;

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public static async Task<ClusterPeer> StartAsync(string connectionString, string cluster, string nodeId, Uri amqp, Func<ServeOptions, ServeOptions>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory("mw-node-").FullName;
        var store = new StoreOptions(directory, connectionString);
        var database = await store.OpenAsync();
        var options = new ServeOptions(new IPEndPoint(IPAddress.Loopback, 0), store)
        {
            Mqtt = new IPEndPoint(IPAddress.Loopback, 0),
            Cluster = new ClusterOptions(cluster, nodeId) { Amqp = amqp },
        };
        var app = MillwrightApp.Build(configure?.Invoke(options) ?? options, database, null);
        if (NodeLogFile.For(cluster, nodeId) is { } log)
        {
            app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(log);
        }

        await app.StartAsync();
        return new ClusterPeer(app, database, directory, nodeId);
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Stops the node as a host stops: it leaves the cluster and releases what it held.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
