using System.Text.Json;
using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Design;

/// <summary>
/// Routing templates per part type (<c>parttype</c> field of a design node): the operations a released part of that
/// type is made with. A template is a routing without the part's own materials, which the release adds (its child
/// parts and its raw material); it is checked as a routing when it is stored and again, against machines, on release.
/// </summary>
internal static class RoutingTemplates
{
    public static async Task<RoutingTemplateDto> PutAsync(Session s, string partType, RoutingInput input)
    {
        var v = new Validator();
        var type = v.Name("partType", partType);
        v.ThrowIfInvalid();
        _ = RoutingValidator.Validate(input);
        var document = JsonSerializer.Serialize(input, DesignRevisions.Json);
        var updated = await s.ExecuteAsync(
            "UPDATE design_routing_templates SET document = @document, updated_at = @Now WHERE tenant_id = @Tenant AND part_type = @type",
            new { s.Tenant, type, document, s.Now });
        if (updated == 0)
        {
            await s.ExecuteAsync(
                "INSERT INTO design_routing_templates (tenant_id, part_type, document, updated_at) VALUES (@Tenant, @type, @document, @Now)",
                new { s.Tenant, type, document, s.Now });
        }

        await s.AuditAsync("update", "design_routing_template", null, $"routing template for part type '{type}': {input.Operations?.Count ?? 0} operations");
        return await GetAsync(s, type);
    }

    public static async Task<IReadOnlyList<RoutingTemplateDto>> ListAsync(Session s) =>
        (await s.QueryAsync<(string PartType, string Document, long UpdatedAt)>(
            "SELECT part_type, document, updated_at FROM design_routing_templates WHERE tenant_id = @Tenant ORDER BY part_type", new { s.Tenant }))
        .Select(r => new RoutingTemplateDto(r.PartType, Parse(r.Document), DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt))).ToList();

    public static async Task<RoutingTemplateDto> GetAsync(Session s, string partType) =>
        (await ListAsync(s)).SingleOrDefault(t => t.PartType == partType)
        ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"There is no routing template for part type '{partType}'.");

    /// <summary>The template of <paramref name="partType"/>, or null.</summary>
    public static async Task<RoutingInput?> FindAsync(Session s, string partType) =>
        await s.QueryOneAsync<string>("SELECT document FROM design_routing_templates WHERE tenant_id = @Tenant AND part_type = @partType", new { s.Tenant, partType }) is { } doc
            ? Parse(doc)
            : null;

    private static RoutingInput Parse(string document) =>
        JsonSerializer.Deserialize<RoutingInput>(document, DesignRevisions.Json) ?? throw new InvalidDataException("a stored routing template is empty");
}
