using Millwright.Api;
using Millwright.Features.Areas;
using Millwright.Features.Lines;
using Millwright.Features.Machines;
using Millwright.Features.MachineTypes;
using Millwright.Features.Sites;
using Millwright.Features.Tenants;
using Millwright.Security;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Millwright.Features.PlantFiles;

/// <summary>
/// Applies a plant file to a tenant inside the caller's one transaction: what the file names is created
/// or brought up to date (matched by name), what it does not name is left alone. Any problem aborts the
/// whole import, so a file is never half applied.
/// </summary>
internal sealed class PlantImporter
{
    private static readonly string[] RootKeys = ["tenant", "name", "machineTypes", "sites"];
    private static readonly string[] TypeKeys = ["name", "description", "tags", "unknownTags", "invalidValues"];
    private static readonly string[] TagKeys = ["name", "description", "unit", "dataType", "kind", "min", "max", "wrap"];
    private static readonly string[] SiteKeys = ["name", "description", "timeZone", "latitude", "longitude", "areas"];
    private static readonly string[] AreaKeys = ["name", "description", "lines"];
    private static readonly string[] LineKeys = ["name", "description", "machines"];
    private static readonly string[] MachineKeys = ["name", "type", "description"];

    private int _created;
    private int _updated;
    private int _unchanged;

    /// <summary>Parses YAML text into a positioned tree; syntax errors carry their line and column.</summary>
    public static YamlNodeReader Parse(string file, TextReader text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(text);
        }
        catch (YamlException e)
        {
            // YamlDotNet prefixes its message with the positions; keep only the reason.
            var reason = e.Message;
            var cut = reason.IndexOf("): ", StringComparison.Ordinal);
            throw new PlantFileException(file, e.Start.Line, e.Start.Column, cut >= 0 ? reason[(cut + 3)..] : reason);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet 16.3's scanner can fail this way on some malformed flow mappings (found by fuzzing,
            // tests/Millwright.Tests/Fuzzing/Regressions), and its node parser with an ArgumentException ("the current
            // event is of an unsupported type", found by the plant-file fuzz test, seed 7, case 215); neither gives a
            // position, so none is claimed.
            throw new PlantFileException(file, 0, 0, $"the file is not valid YAML ({e.Message})");
        }

        if (stream.Documents.Count != 1)
        {
            throw new PlantFileException(file, 1, 1, $"expected one YAML document, found {stream.Documents.Count}");
        }

        return new YamlNodeReader(file, stream.Documents[0].RootNode, RootKeys);
    }

    /// <summary>Imports as the platform (creating the tenant if needed), then acts for the tenant.</summary>
    public static async Task<ImportSummary> ImportAsync(Session platform, YamlNodeReader root)
    {
        var slug = root.RequiredString("tenant");
        var name = root.String("name") ?? slug;
        var importer = new PlantImporter();
        var tenant = await Checked(root, "tenant", async () =>
        {
            var existing = await Tenants.Tenants.FindBySlugAsync(platform, slug);
            return await importer.UpsertAsync(existing, existing?.Name == name,
                () => Tenants.Tenants.CreateAsync(platform, new TenantInput(slug, name)),
                id => Tenants.Tenants.UpdateAsync(platform, id, new TenantInput(slug, name)));
        });

        var s = platform.ActingFor(Caller.CommandLine(tenant));
        foreach (var type in root.List("machineTypes", TypeKeys))
        {
            await importer.ImportTypeAsync(s, type);
        }

        foreach (var site in root.List("sites", SiteKeys))
        {
            await importer.ImportSiteAsync(s, site);
        }

        return new ImportSummary(slug, importer._created, importer._updated, importer._unchanged);
    }

    private async Task ImportTypeAsync(Session s, YamlNodeReader type)
    {
        var tags = type.List("tags", TagKeys).ToList();
        var input = new MachineTypeInput(type.String("name"), type.String("description"), tags.Select(t =>
            new TagInput(t.String("name"), t.String("description"), t.String("unit"), t.String("dataType"), t.String("kind"), t.Number("min"), t.Number("max"), t.Number("wrap"))).ToList(),
            type.String("unknownTags"), type.String("invalidValues"));

        // A field error like "tags[2].unit" points at that tag's unit.
        Mark MarkOf(string field)
        {
            if (field.StartsWith("tags[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is var close and > 5
                && int.TryParse(field.AsSpan(5, close - 5), out var index) && index < tags.Count)
            {
                return tags[index].MarkOf(field.Length > close + 2 ? field[(close + 2)..] : "name");
            }

            return type.MarkOf(field);
        }

        await Checked(type, MarkOf, async () =>
        {
            var (name, description, definitions, unknownTags, invalidValues) = MachineTypes.MachineTypes.Validate(input);
            var existing = await MachineTypes.MachineTypes.FindByNameAsync(s, name);
            var same = existing is not null && existing.Description == description && TagJson.Write(existing.Tags) == TagJson.Write(definitions)
                && existing.UnknownTags == unknownTags && existing.InvalidValues == invalidValues;
            return await UpsertAsync(existing, same, () => MachineTypes.MachineTypes.CreateAsync(s, input), id => MachineTypes.MachineTypes.UpdateAsync(s, id, input));
        });
    }

    private async Task ImportSiteAsync(Session s, YamlNodeReader site)
    {
        var input = new SiteInput(site.String("name"), site.String("description"), site.String("timeZone"), site.Number("latitude"), site.Number("longitude"));
        var siteId = await Checked(site, site.MarkOf, async () =>
        {
            var existing = await Sites.Sites.FindByNameAsync(s, input.Name?.Trim() ?? "");
            var same = existing is not null && existing.Description == input.Description && existing.TimeZone == (input.TimeZone ?? "UTC")
                && existing.Latitude == input.Latitude && existing.Longitude == input.Longitude;
            return await UpsertAsync(existing, same, () => Sites.Sites.CreateAsync(s, input), id => Sites.Sites.UpdateAsync(s, id, input));
        });

        foreach (var area in site.List("areas", AreaKeys))
        {
            var areaInput = new AreaInput(siteId, area.String("name"), area.String("description"));
            var areaId = await Checked(area, area.MarkOf, async () =>
            {
                var existing = await Areas.Areas.FindByNameAsync(s, siteId, areaInput.Name?.Trim() ?? "");
                return await UpsertAsync(existing, existing?.Description == areaInput.Description,
                    () => Areas.Areas.CreateAsync(s, areaInput), id => Areas.Areas.UpdateAsync(s, id, areaInput));
            });

            foreach (var line in area.List("lines", LineKeys))
            {
                await ImportLineAsync(s, areaId, line);
            }
        }
    }

    private async Task ImportLineAsync(Session s, long areaId, YamlNodeReader line)
    {
        var lineInput = new LineInput(areaId, line.String("name"), line.String("description"));
        var lineId = await Checked(line, line.MarkOf, async () =>
        {
            var existing = await Lines.Lines.FindByNameAsync(s, areaId, lineInput.Name?.Trim() ?? "");
            return await UpsertAsync(existing, existing?.Description == lineInput.Description,
                () => Lines.Lines.CreateAsync(s, lineInput), id => Lines.Lines.UpdateAsync(s, id, lineInput));
        });

        foreach (var machine in line.List("machines", MachineKeys))
        {
            var typeName = machine.RequiredString("type");
            var type = await MachineTypes.MachineTypes.FindByNameAsync(s, typeName)
                ?? throw machine.Error(machine.MarkOf("type"), $"there is no machine type named '{typeName}' in the file or the tenant");
            var input = new MachineInput(lineId, type.Id, machine.String("name"), machine.String("description"));
            await Checked(machine, machine.MarkOf, async () =>
            {
                var existing = await Machines.Machines.FindByNameAsync(s, input.Name ?? "");
                var same = existing is not null && existing.LineId == lineId && existing.TypeId == type.Id && existing.Description == input.Description;
                return await UpsertAsync(existing, same, () => Machines.Machines.CreateAsync(s, input), id => Machines.Machines.UpdateAsync(s, id, input));
            });
        }
    }

    private async Task<long> UpsertAsync<TDto>(TDto? existing, bool same, Func<Task<TDto>> create, Func<long, Task<TDto>> update)
        where TDto : class, IHasId
    {
        if (existing is null)
        {
            _created++;
            return (await create()).Id;
        }

        if (same)
        {
            _unchanged++;
            return existing.Id;
        }

        _updated++;
        return (await update(existing.Id)).Id;
    }

    private static Task<long> Checked(YamlNodeReader node, string key, Func<Task<long>> work) => Checked(node, _ => node.MarkOf(key), work);

    /// <summary>Reports an API-level problem (validation, conflict) at the position of the field it names.</summary>
    private static async Task<long> Checked(YamlNodeReader node, Func<string, Mark> markOf, Func<Task<long>> work)
    {
        try
        {
            return await work();
        }
        catch (ApiProblem problem)
        {
            var field = problem.Errors?.Keys.FirstOrDefault();
            throw node.Error(field is null ? node.Start : markOf(field), problem.Message);
        }
    }
}
