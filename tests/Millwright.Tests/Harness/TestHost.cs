using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Millwright.Hosting;
using Millwright.Storage;
using Millwright.Testing;

namespace Millwright.Tests.Harness;

/// <summary>
/// The real Millwright on Kestrel at 127.0.0.1 on a free port, on a fresh SQLite file in a temp directory or
/// a fresh PostgreSQL database, with the platform admin key bootstrapped as on a first start.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly TestPostgresDatabase? _postgres;
    private readonly WebApplication _app;

    private TestHost(string dataDirectory, TestPostgresDatabase? postgres, IDatabase database, WebApplication app, Uri baseAddress, string platformKey)
    {
        _dataDirectory = dataDirectory;
        _postgres = postgres;
        Database = database;
        _app = app;
        BaseAddress = baseAddress;
        PlatformKey = platformKey;
    }

    internal IDatabase Database { get; }

    /// <summary>Every endpoint the app mapped, for tests that must cover all routes.</summary>
    internal IEnumerable<Microsoft.AspNetCore.Http.Endpoint> Endpoints =>
        ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints);

    public Uri BaseAddress { get; }

    /// <summary>A service of the running app, for tests that watch an in-process seam (e.g. alarm events).</summary>
    internal T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>The app's own device authenticator, with its cache, as MQTT and HTTP ingest use it.</summary>
    internal Millwright.Features.DeviceCredentials.DeviceAuthenticator Devices =>
        _app.Services.GetRequiredService<Millwright.Features.DeviceCredentials.DeviceAuthenticator>();

    public string PlatformKey { get; }

    /// <summary>The bound MQTT address when started with <c>mqtt: true</c>.</summary>
    internal IPEndPoint MqttEndPoint =>
        _app.Services.GetRequiredService<Millwright.Features.Connectivity.MqttListener>().Endpoints[0];

    /// <summary>The MQTT server's port, when started with <c>mqtt: true</c>.</summary>
    public int MqttPort => MqttEndPoint.Port;

    /// <param name="clock">The app's clock; a test that moves time by hand passes its own.</param>
    /// <param name="configure">Adjusts the options before the app is built.</param>
    internal static async Task<TestHost> StartAsync(bool postgres, bool mqtt = false, TimeProvider? clock = null, Func<ServeOptions, ServeOptions>? configure = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("mw-host-").FullName;
        var pg = postgres ? await TestPostgres.CreateDatabaseAsync() : null;
        var store = new StoreOptions(dataDirectory, pg?.ConnectionString);
        var database = await store.OpenAsync();
        var keyFile = await PlatformBootstrap.EnsurePlatformKeyAsync(database, dataDirectory, TimeProvider.System, CancellationToken.None)
            ?? throw new InvalidOperationException("a fresh store must bootstrap a platform key");
        var options = new ServeOptions(new IPEndPoint(IPAddress.Loopback, 0), store) { Mqtt = mqtt ? new IPEndPoint(IPAddress.Loopback, 0) : null };
        options = configure?.Invoke(options) ?? options;
        var app = MillwrightApp.Build(options, database, clock);
        await app.StartAsync();
        // A --metrics listener, if configured, is the other address.
        var baseAddress = new Uri(app.Urls.Single(u => options.Metrics is not { } metrics || new Uri(u).Port != metrics.Port));
        return new TestHost(dataDirectory, pg, database, app, baseAddress, await KeyFile.ReadAsync(keyFile));
    }

    /// <summary>A client that sends <paramref name="key"/> as a bearer token, or no key at all.</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient Platform() => Client(PlatformKey);

    /// <summary>A tenant with a fresh unique slug and one key of each tenant role, made through the REST API.</summary>
    /// <param name="slug">An exact slug, for a test whose host was started with a rule naming it; otherwise a unique one from <paramref name="prefix"/>.</param>
    public async Task<TestTenant> CreateTenantAsync(string prefix = "t", string? slug = null)
    {
        using var platform = Platform();
        slug ??= $"{prefix}-{Guid.NewGuid():N}"[..24];
        var tenant = await platform.PostJsonAsync("/api/v1/tenants", new { slug, name = $"Tenant {slug}" }, HttpStatusCode.Created);
        var id = tenant["id"]!.GetValue<long>();
        var keys = new Dictionary<string, string>();
        foreach (var role in new[] { "tenant_admin", "operator", "viewer" })
        {
            var issued = await platform.PostJsonAsync($"/api/v1/tenants/{id}/api-keys", new { name = $"{role} of {slug}", role, reason = "test tenant setup" }, HttpStatusCode.Created);
            keys[role] = issued["key"]!.GetValue<string>();
        }

        return new TestTenant(this, id, slug, keys["tenant_admin"], keys["operator"], keys["viewer"]);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Database.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
