using Millwright.Api;
using Millwright.Features.Hierarchy;

namespace Millwright.Features.Areas;

/// <summary>Areas: a hall or department of a site; names are unique within their site.</summary>
internal static class Areas
{
    private static readonly ChildLevel<AreaDto> Level = new("areas", "area", "sites", "site_id", "siteId", "site", "lines",
        r => new AreaDto(r.Id, r.ParentId, r.Name, r.Description, r.Created, r.Updated));

    public static readonly CrudOperations<AreaInput, AreaDto, AreaQuery> Operations = new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static Task<Page<AreaDto>> ListAsync(Session s, AreaQuery query, PageRequest page) => Level.ListAsync(s, query.SiteId, query.Name, page);

    public static Task<AreaDto> GetAsync(Session s, long id) => Level.GetAsync(s, id);

    public static Task<AreaDto?> FindByNameAsync(Session s, long siteId, string name) => Level.FindByNameAsync(s, siteId, name);

    public static Task<AreaDto> CreateAsync(Session s, AreaInput input) => Level.CreateAsync(s, input.SiteId, input.Name, input.Description);

    public static Task<AreaDto> UpdateAsync(Session s, long id, AreaInput input) => Level.UpdateAsync(s, id, input.SiteId, input.Name, input.Description);

    public static Task DeleteAsync(Session s, long id) => Level.DeleteAsync(s, id);
}
