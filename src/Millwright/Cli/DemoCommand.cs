using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Millwright.Features.ApiKeys;
using Millwright.Features.PlantFiles;
using Millwright.Features.Tenants;
using Millwright.Hosting;
using Millwright.Security;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright demo</c>: <c>serve</c> on the embedded defaults with the example plant loaded and a
/// tenant admin key ready, so a new user can try the API at once; with the virtual factory, a shop of products
/// (DemoCatalog) and a feed of orders keep its machines producing.
/// </summary>
internal static class DemoCommand
{
    public const string TenantKeyFileName = "demo-tenant-admin.key";

    private const string Tenant = "acme";

    /// <summary>Open orders at which the feed stops releasing: enough to keep the planner busy, few enough to finish.</summary>
    private const int DemoOrderFeedMaxOpen = 8;

    /// <summary>The tailoring cell beside the fleet: a cutter, this many sewing stations and a finishing station.</summary>
    private const int DemoSewingStations = 2;

    private static readonly TimeSpan DemoMeanTimeBetweenFailures = TimeSpan.FromMinutes(15);

    public static Command Create()
    {
        var machines = new Option<int>("--machines") { Description = "Simulated machines of the virtual factory (0 runs without it)", DefaultValueFactory = _ => 60 };
        machines.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 10_000)
            {
                r.AddError("--machines: between 0 and 10000");
            }
        });
        var modbusPort = new Option<int>("--modbus-port") { Description = "First loopback port of the simulated Modbus and OPC UA servers", DefaultValueFactory = _ => 15020 };
        var history = new Option<string>("--history")
        {
            Description = "Before going live, write the virtual factory's past: 7d, 1d or none (also 2h, 30m: any span from 10m to 7d); not again on a store that has it",
            DefaultValueFactory = _ => "7d",
        };
        history.Validators.Add(r =>
        {
            if (DemoHistory.ParseSpan(r.GetValueOrDefault<string>() ?? "") is null)
            {
                r.AddError("--history: 7d, 1d, none, or a span from 10m to 7d such as 2h");
            }
        });
        var command = new ServeArguments().CreateCommand("demo", "Run the platform on the embedded defaults with the example plant (tenant 'acme') and a virtual factory feeding it",
            async (options, result, ct) =>
            {
                var prepared = await PrepareAsync(options.Store, Console.Out, ct);
                if (prepared != ExitCodes.Ok)
                {
                    return prepared;
                }

                var count = result.GetValue(machines);
                var factory = count == 0 || options.Mqtt is null
                    ? null
                    : (Func<Storage.IDatabase, IServiceProvider, CancellationToken, Task>)((database, services, stop) =>
                        RunFactoryAsync(options, database, services, count, result.GetValue(modbusPort), DemoHistory.ParseSpan(result.GetValue(history)!)!.Value, stop));
                if (factory is not null && SimulatorModbusRule(count, result.GetValue(modbusPort)) is { } rule)
                {
                    options = options with { Egress = options.Egress.With(rule) };
                }
                return await ServeCommand.RunAsync(options, Console.Out, ct, printCurlTour: true, alongside: factory);
            });
        command.Options.Add(machines);
        command.Options.Add(modbusPort);
        command.Options.Add(history);
        return command;
    }

    /// <summary>
    /// The one opening the demo needs in the egress policy: its own simulated Modbus and OPC UA servers, on loopback ports
    /// from <paramref name="firstPort"/> (the Modbus and OPC UA machines', then the power meter's), for tenant acme only; null when the factory has none.
    /// </summary>
    internal static Security.EgressRule? SimulatorModbusRule(int machines, int firstPort)
    {
        var plan = Simulator.Provisioning.FleetPlan.Create(machines);
        var modbus = plan.Count(m => m.Protocol is Simulator.Drivers.Protocol.Modbus or Simulator.Drivers.Protocol.OpcUa);
        // The factory's power meter (docs/energy.md) takes the port after the Modbus machines' when a machine draws power.
        var meter = plan.Any(m => Simulator.Models.MachineCatalog.For(m.Kind).Tags.Any(t => t.Name == "power")) ? 1 : 0;
        return modbus + meter == 0
            ? null
            : new Security.EgressRule(Tenant, new System.Net.IPNetwork(System.Net.IPAddress.Loopback, 32), firstPort, firstPort + modbus + meter - 1);
    }

    /// <summary>
    /// The virtual factory of <c>simulate</c>, run in this process against the platform it just started; once its
    /// machines exist, the demo's shop is seeded on them and the order feed starts, so production flows.
    /// </summary>
    private static async Task RunFactoryAsync(ServeOptions options, Storage.IDatabase database, IServiceProvider services, int machines, int modbusPort, TimeSpan history,
        CancellationToken stop)
    {
        var key = await KeyFile.ReadAsync(Path.Combine(options.Store.DataDirectory, TenantKeyFileName));
        var mqtt = options.Mqtt!;
        var api = new Uri($"http://{options.Http}");
        // Job mode: the factory's JSON machines wait for the platform's dispatcher, and break down about every
        // quarter of an hour of running so that a demo shows a replan within minutes.
        var arguments = new SimulateArguments(machines, new Simulator.Drivers.BrokerAddress(mqtt.Address.ToString(), mqtt.Port, Tenant),
            api, key, TimeSpan.FromSeconds(1), 1, modbusPort, new Simulator.Jobs.JobMode(DemoMeanTimeBetweenFailures), DemoSewingStations);
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var feeding = Task.CompletedTask;
        var maintaining = Task.CompletedTask;
        await SimulateCommand.RunAsync(arguments, Console.Out, Console.Error, stop, async (provisioned, factory, ct) =>
        {
            // The crew carries out the maintenance stops the platform plans and the operator confirms them, so risk resets.
            var byName = factory.Runners.ToDictionary(r => r.Machine.Name, StringComparer.Ordinal);
            var crew = new DemoMaintenanceCrew(http, provisioned.Where(m => byName.ContainsKey(m.Name)).ToDictionary(m => m.Id, m => byName[m.Name]), Console.Out, TimeProvider.System);
            maintaining = Task.Run(() => crew.RunAsync(ct), CancellationToken.None);

            var sessions = new Api.Sessions(database, TimeProvider.System);
            var tenant = await sessions.RunAsync(Caller.CommandLine(null), s => Tenants.FindBySlugAsync(s, Tenant), ct);
            DemoSeed? seed = null;
            try
            {
                // The shop comes first, its opening stock dated before the history, so the history's orders can use it.
                seed = await DemoProduction.SeedAsync(sessions, tenant!.Id, provisioned, 1, ct,
                    stockAt: history > TimeSpan.Zero ? DateTimeOffset.UtcNow - history - TimeSpan.FromMinutes(1) : null);
            }
            catch (Api.ApiProblem e)
            {
                // The factory still runs and reports; only production is missing, so say why and go on.
                await Console.Error.WriteLineAsync($"demo: the production shop was not set up: {e.Message}");
            }

            if (history > TimeSpan.Zero)
            {
                await WriteHistoryAsync(services, sessions, tenant!.Id, provisioned, history, seed, ct);
            }

            if (seed is null)
            {
                return;
            }

            await Console.Out.WriteLineAsync($"Production: {seed.Capabilities} machines given capabilities, {seed.Items} items, {seed.Routings} routings and "
                + $"{seed.Receipts} stock receipts created; an order is released every 30-60 s while fewer than {DemoOrderFeedMaxOpen} are open.");
            var feed = new DemoOrderFeed(http, Console.Out, TimeProvider.System, seed: 1, DemoOrderFeedMaxOpen, clearLine: !Console.IsOutputRedirected);
            feeding = Task.Run(() => feed.RunAsync(ct), CancellationToken.None);
        });
        await feeding;
        await maintaining;
    }

    /// <summary>The factory's past before it goes live (DemoHistory); a store that has it already keeps it.</summary>
    private static async Task WriteHistoryAsync(IServiceProvider services, Api.Sessions sessions, long tenant, IReadOnlyList<Simulator.Provisioning.ProvisionedMachine> machines,
        TimeSpan span, DemoSeed? shop, CancellationToken ct)
    {
        var writer = new DemoHistory(services.GetRequiredService<Features.Telemetry.TelemetryPipeline>(), services.GetRequiredService<Features.States.StateTracker>(),
            sessions, TimeProvider.System);
        await Console.Out.WriteLineAsync($"History: writing the virtual factory's last {span.TotalHours:0.#} h (one reading per tag and minute) before it goes live...");
        var result = await writer.WriteAsync(tenant, machines, span, seed: 2, Console.Error, ct, shop);
        if (result is null)
        {
            await Console.Out.WriteLineAsync("History: this store has the demo's history already (history_backfills); not written again.");
            return;
        }

        var refused = result.Refused > 0 ? $"; {result.Refused} messages refused, e.g. {result.FirstRefusal}" : "";
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"History: {result.From:yyyy-MM-dd HH:mm} to {result.To:yyyy-MM-dd HH:mm} UTC, {result.Messages} messages, {result.Points} points, {result.Orders} orders completed in "
            + $"{result.Elapsed.TotalSeconds:0.0} s ({result.PointsPerSecond:0} points/s); preventive maintenance from {result.PolicyChangedAt:yyyy-MM-dd HH:mm}{refused}."));
    }

    /// <summary>Loads the example plant (idempotent) and makes sure a tenant admin key file exists.</summary>
    private static async Task<int> PrepareAsync(StoreOptions store, TextWriter output, CancellationToken ct)
    {
        await using var plantText = Assembly.GetExecutingAssembly().GetManifestResourceStream("plant.yaml")!;
        using var reader = new StreamReader(plantText);
        var plant = PlantImporter.Parse("examples/plant.yaml", reader);
        try
        {
            await using var database = await store.OpenAsync(ct);
            var sessions = new Api.Sessions(database, TimeProvider.System);
            var keyFile = Path.Combine(store.DataDirectory, TenantKeyFileName);
            await sessions.RunAsync(Caller.CommandLine(null), async s =>
            {
                var summary = await PlantImporter.ImportAsync(s, plant);
                await output.WriteLineAsync($"Example plant: tenant '{summary.Tenant}', {summary.Created} objects created, {summary.Unchanged} already there.");
                if (!File.Exists(keyFile))
                {
                    var tenant = await Tenants.FindBySlugAsync(s, summary.Tenant);
                    var key = await ApiKeys.CreateAsync(s, tenant!.Id, new ApiKeyInput("demo tenant admin", Role.TenantAdmin.ToWire()));
                    await KeyFile.WriteAsync(keyFile, key.Key, ct);
                }

                return true;
            }, ct);
            await output.WriteLineAsync($"Tenant admin key of 'acme' (kept in {keyFile}):");
            await output.WriteLineAsync("  " + await KeyFile.ReadAsync(keyFile));
            return ExitCodes.Ok;
        }
        catch (StoreUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"millwright: {e.Message}");
            return ExitCodes.StoreUnavailable;
        }
    }
}
