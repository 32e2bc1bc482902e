using System.CommandLine;
using Millwright.Api;
using Millwright.Features.PlantFiles;
using Millwright.Features.Tenants;
using Millwright.Hosting;
using Millwright.Security;

namespace Millwright.Cli;

/// <summary><c>millwright registry import|export</c>: a tenant's plant as a YAML file, applied to the store directly.</summary>
internal static class RegistryCommand
{
    public static Command Create()
    {
        var command = new Command("registry", "Load and dump a tenant's plant (sites, areas, lines, machine types, machines) as YAML");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command Import()
    {
        var store = new StoreArguments();
        var file = new Argument<FileInfo>("file") { Description = "The plant file (YAML); see examples/plant.yaml" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the file against the store and report, changing nothing" };
        var command = new Command("import", "Create or update a tenant's plant from a YAML file, in one transaction");
        command.Arguments.Add(file);
        command.Options.Add(dryRun);
        store.AddTo(command);
        command.SetAction((result, ct) => ImportAsync(store.Read(result), result.GetValue(file)!, result.GetValue(dryRun), Console.Out, Console.Error, ct));
        return command;
    }

    private static Command Export()
    {
        var store = new StoreArguments();
        var tenant = new Option<string>("--tenant") { Description = "The tenant's slug", Required = true };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write to this file instead of standard output" };
        var command = new Command("export", "Write a tenant's plant as YAML");
        command.Options.Add(tenant);
        command.Options.Add(output);
        store.AddTo(command);
        command.SetAction((result, ct) => ExportAsync(store.Read(result), result.GetValue(tenant)!, result.GetValue(output), Console.Out, Console.Error, ct));
        return command;
    }

    public static async Task<int> ImportAsync(StoreOptions store, FileInfo file, bool dryRun, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        YamlNodeReader plant;
        try
        {
            using var text = file.OpenText();
            plant = PlantImporter.Parse(file.Name, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"millwright: cannot read {file.FullName}: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (PlantFileException e)
        {
            await error.WriteLineAsync($"millwright: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        return await WithStoreAsync(store, error, async sessions =>
        {
            try
            {
                var summary = await sessions.RunAsync(Caller.CommandLine(null), async s =>
                {
                    var result = await PlantImporter.ImportAsync(s, plant);
                    if (dryRun)
                    {
                        // Leaving the transaction uncommitted rolls it back.
                        throw new DryRunFinished(result);
                    }

                    return result;
                }, cancellationToken);
                await output.WriteLineAsync($"Imported {file.Name} into tenant '{summary.Tenant}': {summary.Created} created, {summary.Updated} updated, {summary.Unchanged} unchanged.");
            }
            catch (DryRunFinished done)
            {
                var s = done.Summary;
                await output.WriteLineAsync($"Dry run of {file.Name} for tenant '{s.Tenant}': would create {s.Created}, update {s.Updated}, leave {s.Unchanged} unchanged. Nothing was written.");
            }
            catch (PlantFileException e)
            {
                await error.WriteLineAsync($"millwright: {e.Message}");
                await error.WriteLineAsync("millwright: nothing was imported.");
                return ExitCodes.InvalidInput;
            }

            return ExitCodes.Ok;
        });
    }

    public static Task<int> ExportAsync(StoreOptions store, string tenantSlug, FileInfo? file, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        WithStoreAsync(store, error, async sessions =>
        {
            var plant = await sessions.RunAsync(Caller.CommandLine(null), async s =>
            {
                var tenant = await Tenants.FindBySlugAsync(s, tenantSlug);
                return tenant is null ? null : await PlantExporter.ReadAsync(s.ActingFor(Caller.CommandLine(tenant.Id)), tenant.Slug, tenant.Name);
            }, cancellationToken);
            if (plant is null)
            {
                await error.WriteLineAsync($"millwright: there is no tenant '{tenantSlug}'.");
                return ExitCodes.InvalidInput;
            }

            var yaml = PlantExporter.ToYaml(plant);
            if (file is null)
            {
                await output.WriteAsync(yaml);
            }
            else
            {
                await File.WriteAllTextAsync(file.FullName, yaml, cancellationToken);
                await output.WriteLineAsync($"Wrote tenant '{tenantSlug}' to {file.FullName}.");
            }

            return ExitCodes.Ok;
        });

    private static async Task<int> WithStoreAsync(StoreOptions store, TextWriter error, Func<Sessions, Task<int>> work)
    {
        try
        {
            await using var database = await store.OpenAsync();
            return await work(new Sessions(database, TimeProvider.System));
        }
        catch (StoreUnavailableException e)
        {
            await error.WriteLineAsync($"millwright: {e.Message}");
            return ExitCodes.StoreUnavailable;
        }
    }

    /// <summary>Carries a dry run's summary out of the transaction it must not commit.</summary>
    private sealed class DryRunFinished(ImportSummary summary) : Exception("dry run")
    {
        public ImportSummary Summary { get; } = summary;
    }
}
