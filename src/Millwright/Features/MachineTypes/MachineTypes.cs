using System.Globalization;
using System.Text.RegularExpressions;
using Millwright.Api;

namespace Millwright.Features.MachineTypes;

/// <summary>Machine types: the tags a kind of machine reports, with units, data types and valid ranges.</summary>
internal static partial class MachineTypes
{
    public const int MaxTags = 500;
    private const string Columns = "id, name, description, tags, unknown_tags, invalid_values, created_at, updated_at";
    private static readonly string[] DataTypes = ["float", "int", "bool", "string"];
    private static readonly string[] Kinds = ["gauge", "counter"];

    public static readonly CrudOperations<MachineTypeInput, MachineTypeDto, MachineTypeQuery> Operations = new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static async Task<Page<MachineTypeDto>> ListAsync(Session s, MachineTypeQuery query, PageRequest page)
    {
        var rows = await s.QueryAsync<MachineTypeRow>(
            $"""
            SELECT {Columns} FROM machine_types
            WHERE tenant_id = @Tenant AND id > @After AND (@Name IS NULL OR lower(name) LIKE @Name ESCAPE '\')
            ORDER BY id LIMIT @Take
            """,
            new { s.Tenant, page.After, Name = PageRequest.Contains(query.Name), Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<MachineTypeDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<MachineTypeRow>($"SELECT {Columns} FROM machine_types WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("machine type", id);

    public static async Task<MachineTypeDto?> FindByNameAsync(Session s, string name) =>
        (await s.QueryOneAsync<MachineTypeRow>($"SELECT {Columns} FROM machine_types WHERE tenant_id = @Tenant AND name = @name", new { s.Tenant, name }))?.AsDto();

    public static async Task<MachineTypeDto> CreateAsync(Session s, MachineTypeInput input)
    {
        var (name, description, tags, unknownTags, invalidValues) = Validate(input);
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO machine_types (tenant_id, name, description, tags, unknown_tags, invalid_values, created_at, updated_at)
                VALUES (@Tenant, @name, @description, @tags, @unknownTags, @invalidValues, @Now, @Now) RETURNING id
                """,
                new { s.Tenant, name, description, tags = TagJson.Write(tags), unknownTags, invalidValues, s.Now }),
            $"A machine type named '{name}' already exists.");
        await s.AuditAsync("create", "machine_type", id, $"created machine type '{name}' with {tags.Count} tags");
        return await GetAsync(s, id);
    }

    public static async Task<MachineTypeDto> UpdateAsync(Session s, long id, MachineTypeInput input)
    {
        var (name, description, tags, unknownTags, invalidValues) = Validate(input);
        var changed = await s.GuardAsync(
            () => s.ExecuteAsync(
                """
                UPDATE machine_types SET name = @name, description = @description, tags = @tags,
                    unknown_tags = @unknownTags, invalid_values = @invalidValues, updated_at = @Now
                WHERE tenant_id = @Tenant AND id = @id
                """,
                new { s.Tenant, id, name, description, tags = TagJson.Write(tags), unknownTags, invalidValues, s.Now }),
            $"A machine type named '{name}' already exists.");
        if (changed == 0)
        {
            throw ApiProblem.NotFound("machine type", id);
        }

        await s.AuditAsync("update", "machine_type", id, $"updated machine type '{name}' ({tags.Count} tags)");
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var type = await GetAsync(s, id);
        await s.GuardAsync(
            () => s.ExecuteAsync("DELETE FROM machine_types WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }),
            "", $"Machine type {id} is still used by machines; change or delete them first.");
        await s.AuditAsync("delete", "machine_type", id, $"deleted machine type '{type.Name}'");
    }

    /// <summary>Checks a type and fills in defaults (float, gauge, flag), as it will be stored.</summary>
    public static (string Name, string? Description, IReadOnlyList<TagDefinition> Tags, string UnknownTags, string InvalidValues) Validate(MachineTypeInput input)
    {
        var v = new Validator();
        var name = v.Name("name", input.Name);
        var description = v.Description("description", input.Description);
        var tags = new List<TagDefinition>();
        var inputs = input.Tags ?? [];
        if (inputs.Count > MaxTags)
        {
            v.Add("tags", $"at most {MaxTags} tags per machine type");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count && i < MaxTags; i++)
        {
            if (ValidateTag(v, $"tags[{i}]", inputs[i]) is { } tag)
            {
                if (!seen.Add(tag.Name))
                {
                    v.Add($"tags[{i}].name", $"'{tag.Name}' appears more than once");
                }

                tags.Add(tag);
            }
        }

        var unknownTags = Policy(v, "unknownTags", input.UnknownTags);
        var invalidValues = Policy(v, "invalidValues", input.InvalidValues);
        v.ThrowIfInvalid();
        return (name, description, tags, unknownTags, invalidValues);
    }

    private static string Policy(Validator v, string field, string? value)
    {
        if (value is not null && !TelemetryPolicy.All.Contains(value))
        {
            v.Add(field, $"must be one of {string.Join(", ", TelemetryPolicy.All)}");
        }

        return value ?? TelemetryPolicy.Flag;
    }

    private static TagDefinition? ValidateTag(Validator v, string at, TagInput? tag)
    {
        if (tag is null)
        {
            v.Add(at, "must be an object");
            return null;
        }

        var name = tag.Name ?? "";
        if (!TagName().IsMatch(name))
        {
            v.Add($"{at}.name", "must be 1-64 characters of letters, digits, '_', '.' and '-', starting with a letter");
        }

        var dataType = tag.DataType ?? "float";
        if (!DataTypes.Contains(dataType))
        {
            v.Add($"{at}.dataType", $"must be one of {string.Join(", ", DataTypes)}");
        }

        var kind = tag.Kind ?? "gauge";
        if (!Kinds.Contains(kind))
        {
            v.Add($"{at}.kind", $"must be one of {string.Join(", ", Kinds)}");
        }

        var numeric = dataType is "float" or "int";
        if (kind == "counter" && !numeric)
        {
            v.Add($"{at}.kind", "a counter must be of data type float or int");
        }

        if (tag.Unit is { } unit && !Units.Known.Contains(unit))
        {
            v.Add($"{at}.unit", $"'{unit}' is not a known unit symbol (for example kW, rpm, °C, bar, mm, count)");
        }

        if ((tag.Min.HasValue || tag.Max.HasValue) && !numeric)
        {
            v.Add($"{at}.min", "a valid range applies to float and int tags only");
        }

        if (tag.Min is { } min && tag.Max is { } max && !(min < max))
        {
            v.Add($"{at}.max", string.Create(CultureInfo.InvariantCulture, $"must be greater than min ({min})"));
        }

        if (tag.Min is double.NaN || tag.Max is double.NaN)
        {
            v.Add($"{at}.min", "must be a number");
        }

        if (tag.Wrap is { } wrap && (kind != "counter" || !(wrap >= 2 && wrap <= 1e18) || wrap != Math.Floor(wrap)))
        {
            v.Add($"{at}.wrap", "a wrap modulus applies to counters only and is a whole number from 2 to 1e18 (65536 for a 16-bit counter)");
        }

        v.Description($"{at}.description", tag.Description);
        return new TagDefinition(name, tag.Description, tag.Unit, dataType, kind, tag.Min, tag.Max, tag.Wrap);
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.-]{0,63}\z")]
    private static partial Regex TagName();
}
