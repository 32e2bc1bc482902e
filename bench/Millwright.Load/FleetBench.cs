using System.Diagnostics;
using System.Globalization;
using System.Net;
using Millwright.Api;
using Millwright.Features.ApiKeys;
using Millwright.Features.Tenants;
using Millwright.Hosting;
using Millwright.Security;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Fleet;
using Millwright.Simulator.Provisioning;
using Millwright.Storage;

namespace Millwright.Bench;

/// <summary>
/// A reporting fleet in its steady state, for the benches that measure something while it runs: the whole platform
/// in this process on a fresh store, a tenant with a key of the given role, N machines provisioned through the REST
/// API (as <c>simulate --fleet</c> does) and reported through one gateway connection per depot. Started, it has
/// waited until every machine was born and reported once, and until the gateways caught up with the reports the
/// warm-up held back (every report sent within a second of its time for 15 s, at most 10 minutes).
/// </summary>
internal sealed class FleetBench : IAsyncDisposable
{
    private static readonly TimeSpan CaughtUpAfter = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CatchUpBound = TimeSpan.FromMinutes(10);

    private readonly string _directory;
    private readonly FreshPostgres? _fresh;
    private readonly CancellationTokenSource _stop = new();
    private IDatabase? _database;
    private Microsoft.AspNetCore.Builder.WebApplication? _app;
    private Task? _running;

    public sealed record Settings(string Store, string? Postgres, int Machines, TimeSpan Report, int Seed, Role KeyRole);

    private FleetBench(string directory, FreshPostgres? fresh)
    {
        _directory = directory;
        _fresh = fresh;
    }

    public Uri Http { get; private set; } = null!;

    public string Key { get; private set; } = "";

    public FleetSimulation Fleet { get; private set; } = null!;

    /// <summary>How long provisioning, warm-up and catch-up took, for the bench's report.</summary>
    public string StartLine { get; private set; } = "";

    public static async Task<FleetBench> StartAsync(Settings settings, Action<string> progress, CancellationToken ct)
    {
        var fresh = settings.Store == "postgres" ? await FreshPostgres.CreateAsync(settings.Postgres!, ct) : null;
        var bench = new FleetBench(Directory.CreateTempSubdirectory("mw-bench-fleet-").FullName, fresh);
        try
        {
            await bench.StartFleetAsync(settings, progress, ct);
            return bench;
        }
        catch
        {
            await bench.DisposeAsync();
            throw;
        }
    }

    private async Task StartFleetAsync(Settings settings, Action<string> progress, CancellationToken ct)
    {
        var store = new StoreOptions(_directory, _fresh?.ConnectionString);
        _database = await store.OpenAsync(ct);
        (var operatorKey, Key) = await new Sessions(_database, TimeProvider.System).RunAsync(Caller.CommandLine(null), async s =>
        {
            var tenant = await Tenants.CreateAsync(s, new TenantInput("fleet", "Fleet bench"));
            var provisioner = (await ApiKeys.CreateAsync(s, tenant.Id, new ApiKeyInput("fleet provisioning", Role.Operator.ToWire()))).Key;
            var reader = settings.KeyRole == Role.Operator ? provisioner : (await ApiKeys.CreateAsync(s, tenant.Id, new ApiKeyInput("fleet bench reader", settings.KeyRole.ToWire()))).Key;
            return (provisioner, reader);
        }, ct);
        var options = new ServeOptions(new IPEndPoint(IPAddress.Loopback, 0), store)
        {
            Mqtt = new IPEndPoint(IPAddress.Loopback, 0),
            Quotas = QuotaOptions.Default with { Machines = settings.Machines + 1_000 },
            // Provisioning posts batches of 2,000 machines.
            MaxRequestBodyBytes = 4 << 20,
        };
        _app = MillwrightApp.Build(options, _database);
        await _app.StartAsync(ct);
        Http = new Uri(_app.Urls.Single());
        var mqtt = _app.Services.GetRequiredService<Features.Connectivity.MqttListener>().Endpoints[0];

        var provisioning = Stopwatch.StartNew();
        IReadOnlyList<FleetDepot> depots;
        using (var api = PlatformApi.Create(Http, operatorKey))
        {
            depots = await new FleetProvisioner(api, progress).ProvisionAsync(settings.Machines, ct);
        }

        provisioning.Stop();
        Fleet = new FleetSimulation(depots, new BrokerAddress(mqtt.Address.ToString(), mqtt.Port, "fleet"), settings.Report, settings.Seed, TimeProvider.System);
        _running = Fleet.RunAsync(_stop.Token);

        // Warm-up: every machine born and one whole round of reports stored.
        var warm = Stopwatch.StartNew();
        while (Fleet.Stats.Births < settings.Machines || Fleet.Stats.Acknowledged < settings.Machines)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            progress($"warming up {warm.Elapsed.TotalSeconds:F0} s: {Fleet.StatusLine(0, TimeSpan.Zero)}");
        }

        warm.Stop();
        // Then the reports the warm-up held back: the steady state begins once every gateway has sent each report
        // on time (within a second) for a while; a platform that cannot catch up is measured after a bound.
        var catchUp = Stopwatch.StartNew();
        while (Fleet.Stats.OnScheduleFor < CaughtUpAfter && catchUp.Elapsed < CatchUpBound)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            progress($"catching up {catchUp.Elapsed.TotalSeconds:F0} s: {Fleet.StatusLine(0, TimeSpan.Zero)}");
        }

        var caughtUp = Fleet.Stats.OnScheduleFor >= CaughtUpAfter
            ? $"caught up in {catchUp.Elapsed.TotalSeconds:F0} s"
            : $"NOT caught up after {catchUp.Elapsed.TotalSeconds:F0} s (reports still late)";
        StartLine = string.Create(CultureInfo.InvariantCulture, $"provisioning {provisioning.Elapsed.TotalSeconds:F0} s, warm-up {warm.Elapsed.TotalSeconds:F0} s, {caughtUp}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }

        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        if (_fresh is not null)
        {
            await _fresh.DisposeAsync();
        }

        _stop.Dispose();
    }
}
