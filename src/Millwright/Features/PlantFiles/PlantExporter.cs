using Millwright.Api;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Millwright.Features.PlantFiles;

/// <summary>Writes a tenant's registry as a plant file that <see cref="PlantImporter"/> reads back unchanged.</summary>
internal static class PlantExporter
{
    public static async Task<PlantFile> ReadAsync(Session s, string tenantSlug, string tenantName)
    {
        var types = await AllAsync(page => MachineTypes.MachineTypes.ListAsync(s, new MachineTypes.MachineTypeQuery(null, null, null), page));
        var sites = await AllAsync(page => Sites.Sites.ListAsync(s, new Sites.SiteQuery(null, null, null), page));
        var areas = await AllAsync(page => Areas.Areas.ListAsync(s, new Areas.AreaQuery(null, null, null, null), page));
        var lines = await AllAsync(page => Lines.Lines.ListAsync(s, new Lines.LineQuery(null, null, null, null), page));
        var machines = await AllAsync(page => Machines.Machines.ListAsync(s, new Machines.MachineQuery(null, null, null, null, null, null, null), page));
        var typeNames = types.ToDictionary(t => t.Id, t => t.Name);

        return new PlantFile
        {
            Tenant = tenantSlug,
            Name = tenantName,
            MachineTypes = types.Select(t => new MachineTypeEntry
            {
                Name = t.Name,
                Description = t.Description,
                Tags = t.Tags.Select(tag => new TagEntry
                {
                    Name = tag.Name, Description = tag.Description, Unit = tag.Unit, DataType = tag.DataType, Kind = tag.Kind, Min = tag.Min, Max = tag.Max, Wrap = tag.Wrap,
                }).ToList(),
                UnknownTags = t.UnknownTags == MachineTypes.TelemetryPolicy.Flag ? null : t.UnknownTags,
                InvalidValues = t.InvalidValues == MachineTypes.TelemetryPolicy.Flag ? null : t.InvalidValues,
            }).ToList(),
            Sites = sites.Select(site => new SiteEntry
            {
                Name = site.Name, Description = site.Description, TimeZone = site.TimeZone, Latitude = site.Latitude, Longitude = site.Longitude,
                Areas = areas.Where(a => a.SiteId == site.Id).Select(area => new AreaEntry
                {
                    Name = area.Name, Description = area.Description,
                    Lines = lines.Where(l => l.AreaId == area.Id).Select(line => new LineEntry
                    {
                        Name = line.Name, Description = line.Description,
                        Machines = machines.Where(m => m.LineId == line.Id)
                            .Select(m => new MachineEntry { Name = m.Name, Type = typeNames[m.TypeId], Description = m.Description }).ToList(),
                    }).ToList(),
                }).ToList(),
            }).ToList(),
        };
    }

    public static string ToYaml(PlantFile plant) =>
        new SerializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections)
            .Build()
            .Serialize(plant);

    private static async Task<List<T>> AllAsync<T>(Func<PageRequest, Task<Page<T>>> list)
    {
        var all = new List<T>();
        var page = PageRequest.From(PageRequest.MaxLimit, 0);
        while (true)
        {
            var result = await list(page);
            all.AddRange(result.Items);
            if (result.NextAfter is not { } next)
            {
                return all;
            }

            page = page with { After = next };
        }
    }
}
