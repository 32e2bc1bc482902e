using Millwright.Api;

namespace Millwright.Features.Hierarchy;

/// <summary>
/// A level of the ISA-95 tree that hangs under a parent level and carries only a name and a description:
/// areas under sites, lines under areas. The SQL and the rules are the same for both; only the names differ,
/// and those come from constants here, never from input.
/// </summary>
internal sealed class ChildLevel<TDto>(
    string table, string entity, string parentTable, string parentColumn, string parentField, string parentEntity, string children, Func<ChildRow, TDto> asDto)
{
    private readonly string _columns = $"id, {parentColumn} AS parent_id, name, description, created_at, updated_at";

    public async Task<Page<TDto>> ListAsync(Session s, long? parentId, string? name, PageRequest page)
    {
        var rows = await s.QueryAsync<ChildRow>(
            $"""
            SELECT {_columns} FROM {table}
            WHERE tenant_id = @Tenant AND id > @After AND (@parentId IS NULL OR {parentColumn} = @parentId)
              AND (@Name IS NULL OR lower(name) LIKE @Name ESCAPE '\')
            ORDER BY id LIMIT @Take
            """,
            new { s.Tenant, page.After, parentId, Name = PageRequest.Contains(name), Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, asDto);
    }

    public async Task<TDto> GetAsync(Session s, long id) =>
        asDto(await GetRowAsync(s, id));

    public async Task<TDto?> FindByNameAsync(Session s, long parentId, string name)
    {
        var row = await s.QueryOneAsync<ChildRow>(
            $"SELECT {_columns} FROM {table} WHERE tenant_id = @Tenant AND {parentColumn} = @parentId AND name = @name", new { s.Tenant, parentId, name });
        return row is null ? default : asDto(row);
    }

    public async Task<TDto> CreateAsync(Session s, long? parentId, string? name, string? description)
    {
        var (parent, validName, validDescription) = await ValidateAsync(s, parentId, name, description);
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                $"""
                INSERT INTO {table} (tenant_id, {parentColumn}, name, description, created_at, updated_at)
                VALUES (@Tenant, @parent, @validName, @validDescription, @Now, @Now) RETURNING id
                """,
                new { s.Tenant, parent, validName, validDescription, s.Now }),
            Duplicate(parent, validName));
        await s.AuditAsync("create", entity, id, $"created {entity} '{validName}' in {parentEntity} {parent}");
        return await GetAsync(s, id);
    }

    public async Task<TDto> UpdateAsync(Session s, long id, long? parentId, string? name, string? description)
    {
        var (parent, validName, validDescription) = await ValidateAsync(s, parentId, name, description);
        var changed = await s.GuardAsync(
            () => s.ExecuteAsync(
                $"""
                UPDATE {table} SET {parentColumn} = @parent, name = @validName, description = @validDescription, updated_at = @Now
                WHERE tenant_id = @Tenant AND id = @id
                """,
                new { s.Tenant, id, parent, validName, validDescription, s.Now }),
            Duplicate(parent, validName));
        if (changed == 0)
        {
            throw ApiProblem.NotFound(entity, id);
        }

        await s.AuditAsync("update", entity, id, $"updated {entity} '{validName}'");
        return await GetAsync(s, id);
    }

    public async Task DeleteAsync(Session s, long id)
    {
        var row = await GetRowAsync(s, id);
        await s.GuardAsync(
            () => s.ExecuteAsync($"DELETE FROM {table} WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }),
            "", $"{Capital(entity)} {id} still has {children}; delete or move them first.");
        await s.AuditAsync("delete", entity, id, $"deleted {entity} '{row.Name}'");
    }

    private async Task<ChildRow> GetRowAsync(Session s, long id) =>
        await s.QueryOneAsync<ChildRow>($"SELECT {_columns} FROM {table} WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id })
        ?? throw ApiProblem.NotFound(entity, id);

    private async Task<(long Parent, string Name, string? Description)> ValidateAsync(Session s, long? parentId, string? name, string? description)
    {
        var v = new Validator();
        var parent = v.Id(parentField, parentId);
        var validName = v.Name("name", name);
        var validDescription = v.Description("description", description);
        v.ThrowIfInvalid();
        await s.RequireReferenceAsync(parentTable, parentField, parentEntity, parent);
        return (parent, validName, validDescription);
    }

    private string Duplicate(long parent, string name) =>
        $"{Capital(parentEntity)} {parent} already has {(entity[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a")} {entity} named '{name}'.";

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
