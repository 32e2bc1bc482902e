using Millwright.Api;
using Millwright.Design;
using Millwright.Security;

namespace Millwright.Features.Design;

/// <summary>
/// Documents (files by reference and SHA-256) and requirements of a design project, under
/// <c>/api/v1/design/projects/{id}</c>. They are fields of the structure's nodes, so writes here go through the room
/// like the channel's edits (stored, live to every editor, versioned with the revisions); reads take
/// <c>?revision=N</c> to see them as a released revision froze them.
/// </summary>
internal static class DesignDocumentsApi
{
    public static void MapDesignDocuments(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup(DesignApi.Prefix).WithTags("Design");

        projects.MapGet("/{id:long}/documents", async (long id, long? revision, Caller caller, Sessions sessions, DesignHub hub, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, async s =>
                {
                    if (revision is { } number)
                    {
                        var frozen = await DesignRevisions.StructureAsync(s, id, number);
                        return Documents.Of(frozen.Nodes, frozen.PathOf);
                    }

                    var room = await hub.RoomAsync(s.Tenant, id, ct);
                    return room.Read(t => Documents.Of(
                        t.Parents.Keys.Append(DesignTree.Root).Where(n => t.IsUnder(n, DesignTree.Root))
                            .Select(n => new NodeDto(n, t.Parents.GetValueOrDefault(n) ?? "", t.FieldsOf(n).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal))),
                        n => DesignRules.Path(t, n)));
                }, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Every document of the live structure (or of a released revision): node, path, kind, SHA-256 and URI.");

        projects.MapPut("/{id:long}/nodes/{node}/documents/{name}", async (long id, string node, string name, DocumentInput input, Caller caller, DesignHub hub, CancellationToken ct) =>
            {
                var (document, error) = DocumentReference.Of(input.Kind, input.Sha256, input.Uri, input.Title);
                if (document is null)
                {
                    throw ApiProblem.Invalid("document", error!);
                }

                var room = await WriteAsync(caller, hub, id, node, [(Field(DesignFields.DocumentPrefix, name), document.ToString())], ct);
                return TypedResults.Ok(new DocumentDto(node, name, room.Read(t => DesignRules.Path(t, node)), document.Kind, document.Sha256, document.Uri, document.Title));
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Register (or replace) a document of a node by reference and SHA-256; live on the channel.");

        projects.MapDelete("/{id:long}/nodes/{node}/documents/{name}", async (long id, string node, string name, Caller caller, DesignHub hub, CancellationToken ct) =>
            {
                await WriteAsync(caller, hub, id, node, [(Field(DesignFields.DocumentPrefix, name), null)], ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator);

        projects.MapGet("/{id:long}/requirements", async (long id, long? revision, Caller caller, Sessions sessions, DesignHub hub, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, async s => revision is { } number
                    ? (await DesignRevisions.StructureAsync(s, id, number)).Requirements
                    : (await hub.RoomAsync(s.Tenant, id, ct)).RequirementsNow(), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Every requirement with its status (met, unmet, unverified, unlinked; unmet and unlinked flagged), linked parts and parameters; or as a revision recorded them.");

        projects.MapPut("/{id:long}/nodes/{node}/requirements/{name}", async (long id, string node, string name, RequirementInput input, Caller caller, DesignHub hub, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(input.Text))
                {
                    throw ApiProblem.Invalid("text", "a requirement says what is required");
                }

                // The verification first: a refused edit ends the submission, so when it is refused nothing is written.
                var room = await WriteAsync(caller, hub, id, node, [(Field(DesignFields.VerifyPrefix, name), input.Verify), (Field(DesignFields.RequirementPrefix, name), input.Text)], ct);
                return TypedResults.Ok(room.RequirementsNow().Single(r => r.Node == node && r.Name == name));
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("State (or restate) a requirement on a node (the root: the whole project), with the comparison that verifies it; live on the channel.");

        projects.MapDelete("/{id:long}/nodes/{node}/requirements/{name}", async (long id, string node, string name, Caller caller, DesignHub hub, CancellationToken ct) =>
            {
                await WriteAsync(caller, hub, id, node, [(Field(DesignFields.RequirementPrefix, name), null), (Field(DesignFields.VerifyPrefix, name), null)], ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator);
    }

    /// <summary>Following a project: its followers are told of every revision and release to manufacturing.</summary>
    public static void MapDesignFollowers(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup(DesignApi.Prefix).WithTags("Design");
        projects.MapPut("/{id:long}/follow", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => FollowAsync(s, id, on: true), ct)))
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Follow a project: its revisions and releases to manufacturing arrive as notifications (GET /api/v1/makerspace/notifications, and the stream).");
        projects.MapDelete("/{id:long}/follow", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => FollowAsync(s, id, on: false), ct)))
            .RequireAuthorization(Policies.Operator);
    }

    private static async Task<FollowDto> FollowAsync(Session s, long id, bool on)
    {
        await DesignProjects.GetAsync(s, id);
        if (on)
        {
            // Idempotent: following twice is following.
            await s.ExecuteAsync(
                """
                INSERT INTO design_followers (tenant_id, project_id, key_id, created_at) VALUES (@Tenant, @id, @KeyId, @Now)
                ON CONFLICT (tenant_id, project_id, key_id) DO NOTHING
                """,
                new { s.Tenant, id, s.Caller.KeyId, s.Now });
        }
        else
        {
            await s.ExecuteAsync("DELETE FROM design_followers WHERE tenant_id = @Tenant AND project_id = @id AND key_id = @KeyId", new { s.Tenant, id, s.Caller.KeyId });
        }

        var followers = await s.ScalarAsync<long>("SELECT COUNT(*) FROM design_followers WHERE tenant_id = @Tenant AND project_id = @id", new { s.Tenant, id });
        return new FollowDto(id, on, followers);
    }

    private static string Field(string prefix, string name) =>
        Millwright.Design.Parameters.FormulaParser.IsName(name) ? prefix + name : throw ApiProblem.Invalid("name", "a name is a letter or _, then letters, digits or _ (at most 40)");

    private static async Task<DesignRoom> WriteAsync(Caller caller, DesignHub hub, long id, string node, IReadOnlyList<(string Field, string? Value)> fields, CancellationToken ct)
    {
        if (!DesignNames.IsNode(node))
        {
            throw ApiProblem.Invalid("node", "a node id is 1-64 of letters, digits and _ . : -");
        }

        // Every value's own rules before anything is submitted, so that only the design's rules (a formula's
        // references, units) can refuse a field, and that only the first.
        foreach (var (field, value) in fields)
        {
            if (DesignFields.Check(field, value) is { } problem)
            {
                throw ApiProblem.Invalid(field, problem);
            }
        }

        var room = await hub.RoomAsync(caller.Tenant, id, ct);
        await room.WriteAsync(caller, node, fields, ct);
        return room;
    }
}
