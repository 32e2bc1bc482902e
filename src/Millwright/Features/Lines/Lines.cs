using Millwright.Api;
using Millwright.Features.Hierarchy;

namespace Millwright.Features.Lines;

/// <summary>Lines (ISA-95 production lines or work centres) of an area; names are unique within their area.</summary>
internal static class Lines
{
    private static readonly ChildLevel<LineDto> Level = new("lines", "line", "areas", "area_id", "areaId", "area", "machines",
        r => new LineDto(r.Id, r.ParentId, r.Name, r.Description, r.Created, r.Updated));

    public static readonly CrudOperations<LineInput, LineDto, LineQuery> Operations = new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static Task<Page<LineDto>> ListAsync(Session s, LineQuery query, PageRequest page) => Level.ListAsync(s, query.AreaId, query.Name, page);

    public static Task<LineDto> GetAsync(Session s, long id) => Level.GetAsync(s, id);

    public static Task<LineDto?> FindByNameAsync(Session s, long areaId, string name) => Level.FindByNameAsync(s, areaId, name);

    public static Task<LineDto> CreateAsync(Session s, LineInput input) => Level.CreateAsync(s, input.AreaId, input.Name, input.Description);

    public static Task<LineDto> UpdateAsync(Session s, long id, LineInput input) => Level.UpdateAsync(s, id, input.AreaId, input.Name, input.Description);

    public static Task DeleteAsync(Session s, long id) => Level.DeleteAsync(s, id);
}
