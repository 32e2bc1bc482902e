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

    public static Command Create() =>
        new ServeArguments().CreateCommand("demo", "Run the platform on the embedded defaults with the example plant (tenant 'acme') loaded",
            async (options, ct) =>
            {
                var prepared = await PrepareAsync(options.Store, Console.Out, ct);
                return prepared != ExitCodes.Ok ? prepared : await ServeCommand.RunAsync(options, Console.Out, ct, printCurlTour: true);
            });

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
