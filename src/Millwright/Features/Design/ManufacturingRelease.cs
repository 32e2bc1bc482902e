using System.Globalization;
using System.Text.Json;
using Millwright.Api;
using Millwright.Design;
using Millwright.Design.Parameters;
using Millwright.Features.Production;

namespace Millwright.Features.Design;

/// <summary>
/// Release to manufacturing: a released revision's bill of materials becomes production items and routings, in one
/// transaction. Every part number is an item (SKU = number) linked to its node both ways (design_item_links); every
/// material an item too (SKU <c>MAT-material</c>, in kg); a part with a <c>parttype</c> gets the routing of that type's
/// template, whose first operation consumes its child parts (quantity per parent) and its raw material (its
/// <c>param.mass</c> in kg, or one unit). Releasing the same revision again changes nothing and answers what it made.
/// </summary>
internal static class ManufacturingRelease
{
    public static async Task<ManufacturingDto> ReleaseAsync(Session s, long id, long number)
    {
        if (await ExistingAsync(s, id, number) is { } done)
        {
            return done;
        }

        var structure = await DesignRevisions.StructureAsync(s, id, number);
        var parts = structure.Nodes.Where(n => Field(n, DesignFields.Number) is not null)
            .GroupBy(n => Field(n, DesignFields.Number)!, StringComparer.Ordinal)
            .Select(g => g.OrderBy(n => n.Id, StringComparer.Ordinal).First())
            .ToList();
        if (parts.Count == 0)
        {
            throw ApiProblem.Conflict($"Revision {number} has no part numbers: nothing to manufacture.");
        }

        var items = new List<ManufacturedItemDto>();
        var itemOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var sku = Field(part, DesignFields.Number)!;
            var (itemId, created) = await ProductionStore.EnsureItemAsync(s, sku, Field(part, DesignFields.Name) ?? sku, "count");
            await LinkAsync(s, id, part.Id, itemId, number, structure.PathOf(part.Id));
            itemOf[sku] = itemId;
            items.Add(new ManufacturedItemDto(part.Id, structure.PathOf(part.Id), sku, itemId, created, Routing: false, Kind: "part"));
        }

        foreach (var material in parts.Select(p => Field(p, DesignFields.Material)).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var (itemId, created) = await ProductionStore.EnsureItemAsync(s, MaterialSku(material), material, "kg");
            items.Add(new ManufacturedItemDto("", "", MaterialSku(material), itemId, created, Routing: false, Kind: "material"));
        }

        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (Field(part, DesignFields.PartType) is not { } type)
            {
                continue;
            }

            var template = await RoutingTemplates.FindAsync(s, type)
                ?? throw ApiProblem.Conflict($"{structure.PathOf(part.Id)}: part type '{type}' has no routing template (PUT /api/v1/design/routing-templates/{type}).");
            var materials = Materials(structure, part, itemOf, items);
            var operations = template.Operations ?? [];
            var first = operations.Count > 0 ? operations[0] : null;
            var routed = first is null ? template : new RoutingInput([first with { Materials = [.. first.Materials ?? [], .. materials] }, .. operations.Skip(1)]);
            try
            {
                await Routings.PutAsync(s, itemOf[Field(part, DesignFields.Number)!], routed);
            }
            catch (ApiProblem e) when (e.Errors is not null)
            {
                throw new ApiProblem(e.Status, e.Title, $"{structure.PathOf(part.Id)}: the routing of part type '{type}' does not fit: " +
                    string.Join("; ", e.Errors.SelectMany(x => x.Value.Select(m => $"{x.Key}: {m}"))));
            }

            var index = items.FindIndex(x => x.Node == part.Id);
            items[index] = items[index] with { Routing = true };
        }

        var summary = JsonSerializer.Serialize(items, DesignRevisions.Json);
        await s.GuardAsync(
            () => s.ExecuteAsync(
                "INSERT INTO design_manufacturing (tenant_id, project_id, revision, summary, released_at, released_by) VALUES (@Tenant, @id, @number, @summary, @Now, @Actor)",
                new { s.Tenant, id, number, summary, s.Now, s.Caller.Actor }),
            $"revision {number} is being released to manufacturing already");
        await s.AuditAsync("manufacture", "design_revision", id,
            $"released revision {number} of design project {id} to manufacturing: {items.Count(x => x.Created)} items created, {items.Count(x => !x.Created)} updated, {items.Count(x => x.Routing)} routings");
        await Makerspace.FollowerNotifications.ProjectAsync(s, id, "manufacturing", $"Revision {number} of design project {id} was released to manufacturing ({items.Count} items)");
        return new ManufacturingDto(id, number, DateTimeOffset.FromUnixTimeMilliseconds(s.Now), s.Caller.Actor, AlreadyReleased: false, items);
    }

    /// <summary>Where item <paramref name="itemId"/> came from, or a 404 when it was not released from a design.</summary>
    public static async Task<ItemOriginDto> OriginAsync(Session s, long itemId) =>
        await s.QueryOneAsync<(long ProjectId, string Name, string Node, long Revision, long LinkedAt)?>(
            """
            SELECT l.project_id, p.name, l.node, l.revision, l.linked_at FROM design_item_links l
            JOIN design_projects p ON p.tenant_id = l.tenant_id AND p.id = l.project_id
            WHERE l.tenant_id = @Tenant AND l.item_id = @itemId
            """, new { s.Tenant, itemId }) is { } o
            ? new ItemOriginDto(itemId, o.ProjectId, o.Name, o.Node, o.Revision, DateTimeOffset.FromUnixTimeMilliseconds(o.LinkedAt))
            : throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Item {itemId} was not released from a design.");

    private static async Task<ManufacturingDto?> ExistingAsync(Session s, long id, long number)
    {
        var row = await s.QueryOneAsync<(string Summary, long ReleasedAt, string ReleasedBy)?>(
            "SELECT summary, released_at, released_by FROM design_manufacturing WHERE tenant_id = @Tenant AND project_id = @id AND revision = @number", new { s.Tenant, id, number });
        return row is { } r
            ? new ManufacturingDto(id, number, DateTimeOffset.FromUnixTimeMilliseconds(r.ReleasedAt), r.ReleasedBy, AlreadyReleased: true,
                JsonSerializer.Deserialize<List<ManufacturedItemDto>>(r.Summary, DesignRevisions.Json)!)
            : null;
    }

    /// <summary>Links the node to the item (the node's earlier item, if its number changed, is let go); an item released from another node is refused.</summary>
    private static async Task LinkAsync(Session s, long id, string node, long itemId, long number, string path)
    {
        var holder = await s.QueryOneAsync<(long ProjectId, string Node)?>(
            "SELECT project_id, node FROM design_item_links WHERE tenant_id = @Tenant AND item_id = @itemId", new { s.Tenant, itemId });
        if (holder is { } h && (h.ProjectId != id || h.Node != node))
        {
            throw ApiProblem.Conflict($"{path}: item {itemId} was released from node {h.Node} of design project {h.ProjectId}; a part number is made from one design node.");
        }

        var updated = await s.ExecuteAsync(
            "UPDATE design_item_links SET item_id = @itemId, revision = @number, linked_at = @Now WHERE tenant_id = @Tenant AND project_id = @id AND node = @node",
            new { s.Tenant, id, node, itemId, number, s.Now });
        if (updated == 0)
        {
            await s.ExecuteAsync(
                "INSERT INTO design_item_links (tenant_id, project_id, node, item_id, revision, linked_at) VALUES (@Tenant, @id, @node, @itemId, @number, @Now)",
                new { s.Tenant, id, node, itemId, number, s.Now });
        }
    }

    /// <summary>What the part's first operation consumes: its child parts by number (quantities summed) and its raw material.</summary>
    private static List<MaterialInput> Materials(RevisionStructure structure, NodeDto part, Dictionary<string, long> itemOf, List<ManufacturedItemDto> items)
    {
        var materials = structure.Nodes.Where(n => n.Parent == part.Id && Field(n, DesignFields.Number) is not null)
            .GroupBy(n => Field(n, DesignFields.Number)!, StringComparer.Ordinal)
            .Select(g => new MaterialInput(itemOf[g.Key], g.Sum(n => Quantity(n))))
            .ToList();
        if (Field(part, DesignFields.Material) is { } material)
        {
            var mass = structure.Parameters.FirstOrDefault(p => p.Node == part.Id && p.Field == DesignFields.ParameterPrefix + "mass");
            var kg = mass is { Value: { } v, Unit: { } u } && Unit.TryParse(u, out var unit) && unit.Dimension == Dimension.Mass
                ? double.Parse(v, CultureInfo.InvariantCulture) * unit.Factor
                : 1;
            materials.Add(new MaterialInput(items.Single(x => x.Sku == MaterialSku(material)).ItemId, kg));
        }

        return materials;
    }

    private static double Quantity(NodeDto node) =>
        Field(node, DesignFields.Quantity) is { } q && double.TryParse(q, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : 1;

    private static string MaterialSku(string material)
    {
        var sku = $"MAT-{material.Trim().ToUpperInvariant().Replace(' ', '-')}";
        return sku.Length <= Validator.NameMax ? sku : sku[..Validator.NameMax];
    }

    private static string? Field(NodeDto node, string field) => node.Fields.GetValueOrDefault(field);
}
