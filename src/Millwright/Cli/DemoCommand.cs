using System.CommandLine;
using System.Reflection;
using Millwright.Features.ApiKeys;
using Millwright.Features.PlantFiles;
using Millwright.Features.Tenants;
using Millwright.Hosting;
using Millwright.Security;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright demo</c>: <c>serve</c> on the embedded defaults with the example plant loaded and a
/// tenant admin key ready, so a new user can try the API at once.
/// </summary>
internal static class DemoCommand
{
    public const string TenantKeyFileName = "demo-tenant-admin.key";

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
        var modbusPort = new Option<int>("--modbus-port") { Description = "First loopback port of the simulated Modbus servers", DefaultValueFactory = _ => 15020 };
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
                    : (Func<CancellationToken, Task>)(stop => RunFactoryAsync(options, count, result.GetValue(modbusPort), stop));
                return await ServeCommand.RunAsync(options, Console.Out, ct, printCurlTour: true, alongside: factory);
            });
        command.Options.Add(machines);
        command.Options.Add(modbusPort);
        return command;
    }

    /// <summary>The virtual factory of <c>simulate</c>, run in this process against the platform it just started.</summary>
    private static async Task RunFactoryAsync(ServeOptions options, int machines, int modbusPort, CancellationToken stop)
    {
        var key = await KeyFile.ReadAsync(Path.Combine(options.Store.DataDirectory, TenantKeyFileName));
        var mqtt = options.Mqtt!;
        // Job mode: the factory's JSON machines wait for the platform's dispatcher, and break down about every
        // quarter of an hour of running so that a demo shows a replan within minutes.
        var arguments = new SimulateArguments(machines, new Simulator.Drivers.BrokerAddress(mqtt.Address.ToString(), mqtt.Port, "acme"),
            new Uri($"http://{options.Http}"), key, TimeSpan.FromSeconds(1), 1, modbusPort, new Simulator.Jobs.JobMode(DemoMeanTimeBetweenFailures));
        await SimulateCommand.RunAsync(arguments, Console.Out, Console.Error, stop);
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
