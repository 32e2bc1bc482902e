using System.Text.Json;
using Millwright.Api;

namespace Millwright.Features.Design;

/// <summary>
/// Engineering change (ECR/ECO): a change request names the parts it touches (its impact list adds the assemblies
/// above them and the production items released from any of them) and the roles that must review it. Reviewers are
/// assigned to a role per project by key name; each role gives one verdict. Approved by every role, the request is a
/// change order, which the next revision release implements (<see cref="DesignRevisions"/>); one rejection ends it.
/// </summary>
internal static class DesignChanges
{
    private const int MaxRoles = 8;
    private const int MaxNodes = 200;

    public static async Task<ReviewerDto> AssignAsync(Session s, long id, ReviewerInput input)
    {
        var v = new Validator();
        var role = v.Name("role", input.Role?.Trim().ToLowerInvariant());
        var keyId = v.Id("keyId", input.KeyId);
        v.ThrowIfInvalid();
        await DesignProjects.GetAsync(s, id);
        var key = await s.QueryOneAsync<(string Name, string Role, long? RevokedAt)>(
            "SELECT name, role, revoked_at FROM api_keys WHERE tenant_id = @Tenant AND id = @keyId", new { s.Tenant, keyId });
        if (key.Name is null || key.RevokedAt is not null)
        {
            throw ApiProblem.Invalid("keyId", $"there is no active API key {keyId} in this tenant");
        }

        if (key.Role == "participant")
        {
            throw ApiProblem.Invalid("keyId", "an external participant's key does not review design changes");
        }

        // The reviewer is the key (by id); its name is kept for people reading the list.
        var reviewer = $"key {keyId} ({key.Name})";
        await s.GuardAsync(
            () => s.ExecuteAsync(
                "INSERT INTO design_reviewers (tenant_id, project_id, role, reviewer, key_id, assigned_at, assigned_by) VALUES (@Tenant, @id, @role, @reviewer, @keyId, @Now, @Actor)",
                new { s.Tenant, id, role, reviewer, keyId, s.Now, s.Caller.Actor }),
            $"{reviewer} reviews for {role} already");
        await s.AuditAsync("assign", "design_reviewer", id, $"{reviewer} reviews changes of design project {id} for {role}");
        return new ReviewerDto(role, reviewer, DateTimeOffset.FromUnixTimeMilliseconds(s.Now), s.Caller.Actor, keyId);
    }

    public static async Task<IReadOnlyList<ReviewerDto>> ReviewersAsync(Session s, long id)
    {
        await DesignProjects.GetAsync(s, id);
        return (await s.QueryAsync<(string Role, string Reviewer, long AssignedAt, string AssignedBy, long? KeyId)>(
                "SELECT role, reviewer, assigned_at, assigned_by, key_id FROM design_reviewers WHERE tenant_id = @Tenant AND project_id = @id ORDER BY role, reviewer", new { s.Tenant, id }))
            .Select(r => new ReviewerDto(r.Role, r.Reviewer, DateTimeOffset.FromUnixTimeMilliseconds(r.AssignedAt), r.AssignedBy, r.KeyId)).ToList();
    }

    public static async Task<ChangeDto> RequestAsync(Session s, DesignHub hub, long id, ChangeInput input)
    {
        var v = new Validator();
        var title = v.Name("title", input.Title);
        var reason = v.Description("reason", input.Reason) ?? "";
        var nodes = (input.Nodes ?? []).Distinct(StringComparer.Ordinal).ToList();
        var roles = (input.Roles ?? []).Select(r => r.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (nodes.Count is 0 or > MaxNodes)
        {
            v.Add("nodes", $"a change names 1-{MaxNodes} parts it touches");
        }

        if (roles.Count is 0 or > MaxRoles || roles.Any(r => r.Length is 0 or > Validator.NameMax))
        {
            v.Add("roles", $"a change names 1-{MaxRoles} reviewing roles (design, quality, manufacturing, ...)");
        }

        v.ThrowIfInvalid();
        await DesignProjects.GetAsync(s, id);
        var assigned = (await ReviewersAsync(s, id)).Select(r => r.Role).ToHashSet(StringComparer.Ordinal);
        foreach (var role in roles.Where(r => !assigned.Contains(r)))
        {
            v.Add("roles", $"no one reviews for '{role}' on this project (POST .../reviewers first)");
        }

        var room = await hub.RoomAsync(s.Tenant, id, CancellationToken.None);
        var paths = room.Read(t => nodes.ToDictionary(n => n, n => t.Contains(n) && t.IsUnder(n, Millwright.Design.DesignTree.Root)
            ? t.PathOf(n).Skip(1).Where(a => a != n).Append(n).ToList() : null));
        foreach (var missing in nodes.Where(n => paths[n] is null))
        {
            v.Add("nodes", $"there is no node {missing} in the structure");
        }

        v.ThrowIfInvalid();
        var impact = await ImpactAsync(s, room, id, paths.Values.SelectMany(p => p!).Distinct(StringComparer.Ordinal));
        var changeId = await s.ScalarAsync<long>(
            """
            INSERT INTO design_changes (tenant_id, project_id, title, reason, status, roles, impact, requested_at, requested_by)
            VALUES (@Tenant, @id, @title, @reason, 'requested', @Roles, @Impact, @Now, @Actor) RETURNING id
            """,
            new { s.Tenant, id, title, reason, Roles = JsonSerializer.Serialize(roles), Impact = JsonSerializer.Serialize(impact, DesignRevisions.Json), s.Now, s.Caller.Actor });
        await s.AuditAsync("request", "design_change", changeId, $"change request '{title}' on design project {id}: {impact.Count} parts, {impact.Count(i => i.ItemId is not null)} production items");
        return await GetAsync(s, id, changeId);
    }

    public static async Task<ChangeDto> ReviewAsync(Session s, long id, long changeId, ReviewInput input)
    {
        var v = new Validator();
        var role = v.Name("role", input.Role?.Trim().ToLowerInvariant());
        var verdict = input.Verdict is "approve" or "reject" ? input.Verdict : null;
        if (verdict is null)
        {
            v.Add("verdict", "approve or reject");
        }

        var note = v.Description("note", input.Note) ?? "";
        if (verdict == "reject" && note.Length == 0)
        {
            v.Add("note", "a rejection says why");
        }

        v.ThrowIfInvalid();
        var change = await GetAsync(s, id, changeId);
        if (!change.Roles.Contains(role))
        {
            throw ApiProblem.Invalid("role", $"change {changeId} is reviewed by {string.Join(", ", change.Roles)}, not {role}");
        }

        var reviewer = await s.ScalarAsync<long>(
            """
            SELECT COUNT(*) FROM design_reviewers WHERE tenant_id = @Tenant AND project_id = @id AND role = @role
              AND (key_id = @KeyId OR (key_id IS NULL AND reviewer = @KeyName))
            """,
            new { s.Tenant, id, role, s.Caller.KeyId, s.Caller.KeyName });
        if (reviewer == 0)
        {
            throw ApiProblem.Forbidden($"{s.Caller.Actor} does not review for {role} on design project {id}.");
        }

        if (change.Status != "requested")
        {
            throw ApiProblem.Conflict($"Change {changeId} is {change.Status}; only a requested change is reviewed.");
        }

        await s.GuardAsync(
            () => s.ExecuteAsync(
                "INSERT INTO design_reviews (tenant_id, change_id, role, verdict, note, reviewer, reviewed_at) VALUES (@Tenant, @changeId, @role, @verdict, @note, @Actor, @Now)",
                new { s.Tenant, changeId, role, verdict, note, s.Caller.Actor, s.Now }),
            $"{role} has reviewed change {changeId} already");
        var approved = change.Reviews.Count(r => r.Verdict == "approve") + (verdict == "approve" ? 1 : 0);
        var status = verdict == "reject" ? "rejected" : approved == change.Roles.Count ? "approved" : null;
        if (status is not null)
        {
            await s.ExecuteAsync("UPDATE design_changes SET status = @status, decided_at = @Now WHERE tenant_id = @Tenant AND id = @changeId", new { s.Tenant, changeId, status, s.Now });
        }

        await s.AuditAsync(verdict!, "design_change", changeId, $"{role} {(verdict == "approve" ? "approved" : "rejected")} change {changeId}" + (status is null ? "" : $"; it is {status}") + (note.Length == 0 ? "" : $": {note}"));
        return await GetAsync(s, id, changeId);
    }

    /// <summary>Marks the approved change order <paramref name="changeId"/> as implemented by <paramref name="revision"/>.</summary>
    public static async Task ConsumeAsync(Session s, long id, long? changeId, long revision)
    {
        if (changeId is not { } c)
        {
            throw ApiProblem.Invalid("changeId", $"revision {revision} implements an approved change order: name it");
        }

        var change = await GetAsync(s, id, c);
        if (change.Status != "approved")
        {
            throw ApiProblem.Conflict($"Change {c} is {change.Status}; a revision implements an approved change order.");
        }

        await s.ExecuteAsync("UPDATE design_changes SET status = 'released', revision = @revision WHERE tenant_id = @Tenant AND id = @c", new { s.Tenant, c, revision });
    }

    public static async Task<IReadOnlyList<ChangeDto>> ListAsync(Session s, long id)
    {
        await DesignProjects.GetAsync(s, id);
        var ids = await s.QueryAsync<long>("SELECT id FROM design_changes WHERE tenant_id = @Tenant AND project_id = @id ORDER BY id", new { s.Tenant, id });
        var list = new List<ChangeDto>();
        foreach (var changeId in ids)
        {
            list.Add(await GetAsync(s, id, changeId));
        }

        return list;
    }

    public static async Task<ChangeDto> GetAsync(Session s, long id, long changeId)
    {
        var row = await s.QueryOneAsync<ChangeRow>(
            "SELECT id, project_id, title, reason, status, roles, impact, requested_at, requested_by, decided_at, revision FROM design_changes WHERE tenant_id = @Tenant AND project_id = @id AND id = @changeId",
            new { s.Tenant, id, changeId }) ?? throw ApiProblem.NotFound("design change", changeId);
        var reviews = await s.QueryAsync<(string Role, string Verdict, string Note, string Reviewer, long ReviewedAt)>(
            "SELECT role, verdict, note, reviewer, reviewed_at FROM design_reviews WHERE tenant_id = @Tenant AND change_id = @changeId ORDER BY reviewed_at, role", new { s.Tenant, changeId });
        return new ChangeDto(row.Id, row.ProjectId, row.Title, row.Reason, row.Status, JsonSerializer.Deserialize<List<string>>(row.Roles)!,
            JsonSerializer.Deserialize<List<ImpactDto>>(row.Impact, DesignRevisions.Json)!,
            reviews.Select(r => new ReviewDto(r.Role, r.Verdict, r.Note, r.Reviewer, DateTimeOffset.FromUnixTimeMilliseconds(r.ReviewedAt))).ToList(),
            DateTimeOffset.FromUnixTimeMilliseconds(row.RequestedAt), row.RequestedBy, row.DecidedAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null, row.Revision);
    }

    /// <summary>The touched parts and the assemblies above them, each with the production item released from it (if any).</summary>
    private static async Task<List<ImpactDto>> ImpactAsync(Session s, DesignRoom room, long id, IEnumerable<string> nodes)
    {
        var links = (await s.QueryAsync<(string Node, long ItemId, string Sku)>(
                """
                SELECT l.node, l.item_id, i.sku FROM design_item_links l JOIN inventory_items i ON i.tenant_id = l.tenant_id AND i.id = l.item_id
                WHERE l.tenant_id = @Tenant AND l.project_id = @id
                """, new { s.Tenant, id }))
            .ToDictionary(l => l.Node, StringComparer.Ordinal);
        return room.Read(t => nodes.Order(StringComparer.Ordinal).Select(n => links.TryGetValue(n, out var l)
            ? new ImpactDto(n, DesignRules.Path(t, n), t.FieldOf(n, Millwright.Design.DesignFields.Number), l.ItemId, l.Sku)
            : new ImpactDto(n, DesignRules.Path(t, n), t.FieldOf(n, Millwright.Design.DesignFields.Number), null, null)).ToList());
    }

    private sealed class ChangeRow
    {
        public long Id { get; set; }
        public long ProjectId { get; set; }
        public string Title { get; set; } = "";
        public string Reason { get; set; } = "";
        public string Status { get; set; } = "";
        public string Roles { get; set; } = "";
        public string Impact { get; set; } = "";
        public long RequestedAt { get; set; }
        public string RequestedBy { get; set; } = "";
        public long? DecidedAt { get; set; }
        public long? Revision { get; set; }
    }
}
