using System.Globalization;
using Millwright.Api;
using Millwright.Features.Inventory;

namespace Millwright.Features.Production;

/// <summary>
/// Setup families (docs/scheduling.md, Setup families): the tenant's named families, the matrix of setup minutes
/// between them, and which family each program and item is filed under. Tenant-scoped; every change is audited.
/// </summary>
internal static class SetupFamilyStore
{
    public const int MaxFamilies = 200;
    public const int NameMax = 64;

    /// <summary>A week: longer is a typing error, not a changeover.</summary>
    public const double MaxMinutes = 7 * 24 * 60;

    /// <summary>What the planner needs, with the family pairs learned from the machines' history.</summary>
    public static async Task<SetupFamilyPlan> PlanAsync(Session s, IReadOnlyDictionary<(long Machine, string From, string To), long> learned)
    {
        var programs = await s.QueryAsync<(string Program, string Family)>("SELECT program, family FROM program_setup_families WHERE tenant_id = @Tenant", new { s.Tenant });
        var items = await s.QueryAsync<(long ItemId, string Family)>("SELECT item_id, family FROM item_setup_families WHERE tenant_id = @Tenant", new { s.Tenant });
        var matrix = await MatrixAsync(s);
        return new SetupFamilyPlan(
            programs.ToDictionary(p => p.Program, p => p.Family, StringComparer.Ordinal), items.ToDictionary(i => i.ItemId, i => i.Family),
            matrix.ToDictionary(m => (m.From, m.To), m => m.SetupMs), learned);
    }

    public static async Task<SetupFamiliesDto> GetAsync(Session s)
    {
        var families = await FamiliesAsync(s);
        var matrix = await MatrixAsync(s);
        var programs = await s.QueryAsync<(string Program, string Family)>("SELECT program, family FROM program_setup_families WHERE tenant_id = @Tenant ORDER BY program", new { s.Tenant });
        var items = await s.QueryAsync<(long ItemId, string Family)>("SELECT item_id, family FROM item_setup_families WHERE tenant_id = @Tenant ORDER BY item_id", new { s.Tenant });
        var since = s.Now - (long)MachineHistory.Lookback.TotalMilliseconds;
        var learned = MachineHistory.FamilyChangeovers(await ProductionStore.StateEpisodesAsync(s, since),
            await ProductionStore.MachineJobsAsync(s, since - (long)TimeSpan.FromDays(1).TotalMilliseconds));
        return new SetupFamiliesDto(
            families, [.. matrix.Select(m => new FamilyTimeDto(m.From, m.To, m.SetupMs / 60_000.0))], [.. programs.Select(p => new ProgramFamilyDto(p.Program, p.Family))], [.. items.Select(i => new ItemFamilyDto(i.ItemId, i.Family))],
            [.. learned.OrderBy(l => (l.Key.Machine, l.Key.From, l.Key.To)).Select(l => new LearnedFamilyTimeDto(l.Key.Machine, l.Key.From, l.Key.To, l.Value / 60_000.0))]);
    }

    /// <summary>Replaces the families and their matrix. A family still filing a program or an item cannot be dropped.</summary>
    public static async Task<SetupFamiliesDto> PutAsync(Session s, SetupFamiliesInput input)
    {
        var (families, matrix) = Validate(input);
        var dropped = (await FamiliesAsync(s)).Where(f => !families.Contains(f)).ToList();
        foreach (var family in dropped)
        {
            var users = await s.QueryAsync<string>(
                """
                SELECT 'program ' || program FROM program_setup_families WHERE tenant_id = @Tenant AND family = @family
                UNION ALL SELECT 'item ' || CAST(item_id AS TEXT) FROM item_setup_families WHERE tenant_id = @Tenant AND family = @family
                """, new { s.Tenant, family });
            if (users.Count > 0)
            {
                throw ApiProblem.Conflict($"Family '{family}' still files {string.Join(", ", users.Take(5))}{(users.Count > 5 ? $" and {users.Count - 5} more" : "")}; file them under another family first.");
            }
        }

        await s.ExecuteAsync("DELETE FROM setup_family_times WHERE tenant_id = @Tenant", new { s.Tenant });
        foreach (var family in dropped)
        {
            await s.ExecuteAsync("DELETE FROM setup_families WHERE tenant_id = @Tenant AND name = @family", new { s.Tenant, family });
        }

        foreach (var family in families)
        {
            await s.ExecuteAsync(
                "INSERT INTO setup_families (tenant_id, name) SELECT @Tenant, @family WHERE NOT EXISTS (SELECT 1 FROM setup_families WHERE tenant_id = @Tenant AND name = @family)",
                new { s.Tenant, family });
        }

        foreach (var (from, to, setupMs) in matrix)
        {
            await s.ExecuteAsync("INSERT INTO setup_family_times (tenant_id, from_family, to_family, setup_ms) VALUES (@Tenant, @from, @to, @setupMs)",
                new { s.Tenant, from, to, setupMs });
        }

        await s.AuditAsync("update", "setup_families", null, $"setup families {string.Join(", ", families)}; {matrix.Count} family pairs timed"
            + (dropped.Count > 0 ? $"; dropped {string.Join(", ", dropped)}" : ""));
        return await GetAsync(s);
    }

    public static async Task<ProgramFamilyDto> PutProgramAsync(Session s, string program, FamilyAssignmentInput input)
    {
        program = Program(program);
        var family = await KnownFamilyAsync(s, input);
        if (await s.ExecuteAsync("UPDATE program_setup_families SET family = @family WHERE tenant_id = @Tenant AND program = @program", new { s.Tenant, program, family }) == 0)
        {
            await s.ExecuteAsync("INSERT INTO program_setup_families (tenant_id, program, family) VALUES (@Tenant, @program, @family)", new { s.Tenant, program, family });
        }

        await s.AuditAsync("update", "program_setup_family", null, $"program '{program}' filed under setup family '{family}'");
        return new ProgramFamilyDto(program, family);
    }

    public static async Task DeleteProgramAsync(Session s, string program)
    {
        program = Program(program);
        if (await s.ExecuteAsync("DELETE FROM program_setup_families WHERE tenant_id = @Tenant AND program = @program", new { s.Tenant, program }) == 0)
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Program '{program}' is filed under no setup family.");
        }

        await s.AuditAsync("delete", "program_setup_family", null, $"program '{program}' no longer filed under a setup family");
    }

    public static async Task<ItemFamilyDto> GetItemAsync(Session s, long itemId)
    {
        await InventoryItems.GetAsync(s, itemId);
        return new ItemFamilyDto(itemId, await s.QueryOneAsync<string>("SELECT family FROM item_setup_families WHERE tenant_id = @Tenant AND item_id = @itemId", new { s.Tenant, itemId }));
    }

    public static async Task<ItemFamilyDto> PutItemAsync(Session s, long itemId, FamilyAssignmentInput input)
    {
        var item = await InventoryItems.GetAsync(s, itemId);
        var family = await KnownFamilyAsync(s, input);
        if (await s.ExecuteAsync("UPDATE item_setup_families SET family = @family WHERE tenant_id = @Tenant AND item_id = @itemId", new { s.Tenant, itemId, family }) == 0)
        {
            await s.ExecuteAsync("INSERT INTO item_setup_families (tenant_id, item_id, family) VALUES (@Tenant, @itemId, @family)", new { s.Tenant, itemId, family });
        }

        await s.AuditAsync("update", "item_setup_family", itemId, $"item '{item.Sku}' filed under setup family '{family}'");
        return new ItemFamilyDto(itemId, family);
    }

    public static async Task DeleteItemAsync(Session s, long itemId)
    {
        var item = await InventoryItems.GetAsync(s, itemId);
        if (await s.ExecuteAsync("DELETE FROM item_setup_families WHERE tenant_id = @Tenant AND item_id = @itemId", new { s.Tenant, itemId }) == 0)
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Item {itemId} is filed under no setup family.");
        }

        await s.AuditAsync("delete", "item_setup_family", itemId, $"item '{item.Sku}' no longer filed under a setup family");
    }

    private static Task<IReadOnlyList<string>> FamiliesAsync(Session s) =>
        s.QueryAsync<string>("SELECT name FROM setup_families WHERE tenant_id = @Tenant ORDER BY name", new { s.Tenant });

    private static Task<IReadOnlyList<(string From, string To, long SetupMs)>> MatrixAsync(Session s) =>
        s.QueryAsync<(string From, string To, long SetupMs)>(
            "SELECT from_family, to_family, setup_ms FROM setup_family_times WHERE tenant_id = @Tenant ORDER BY from_family, to_family", new { s.Tenant });

    private static (List<string> Families, List<(string From, string To, long SetupMs)> Matrix) Validate(SetupFamiliesInput input)
    {
        var v = new Validator();
        var families = new List<string>();
        if (input.Families is null)
        {
            v.Add("families", "is required (an empty list drops every family)");
        }
        else if (input.Families.Count > MaxFamilies)
        {
            v.Add("families", $"must name at most {MaxFamilies} families");
        }

        foreach (var (name, i) in (input.Families ?? []).Select((n, i) => (n, i)))
        {
            var family = FamilyName(v, $"families[{i}]", name);
            if (family.Length > 0 && families.Contains(family, StringComparer.Ordinal))
            {
                v.Add($"families[{i}]", $"'{family}' is named twice");
            }

            families.Add(family);
        }

        var matrix = new List<(string, string, long)>();
        var pairs = new HashSet<(string, string)>();
        foreach (var (time, i) in (input.Matrix ?? []).Select((t, i) => (t, i)))
        {
            var field = $"matrix[{i}]";
            if (time is null)
            {
                v.Add(field, "is required");
                continue;
            }

            var from = Member(v, $"{field}.from", time.From, families);
            var to = Member(v, $"{field}.to", time.To, families);
            if (time.Minutes is not { } minutes || !double.IsFinite(minutes) || minutes < 0 || minutes > MaxMinutes)
            {
                v.Add($"{field}.minutes", string.Create(CultureInfo.InvariantCulture, $"must be a number of minutes from 0 to {MaxMinutes}"));
                continue;
            }

            if (from.Length > 0 && to.Length > 0 && !pairs.Add((from, to)))
            {
                v.Add(field, $"the pair '{from}' → '{to}' is given twice");
            }

            matrix.Add((from, to, (long)Math.Round(minutes * 60_000)));
        }

        v.ThrowIfInvalid();
        return (families, matrix);
    }

    private static string Member(Validator v, string field, string? name, List<string> families)
    {
        var family = FamilyName(v, field, name);
        if (family.Length > 0 && !families.Contains(family, StringComparer.Ordinal))
        {
            v.Add(field, $"unknown family '{family}': it is not in families");
        }

        return family;
    }

    private static string FamilyName(Validator v, string field, string? name)
    {
        var family = name?.Trim() ?? "";
        if (family.Length is 0 or > NameMax || family.Any(char.IsControl))
        {
            v.Add(field, $"must be a family name of 1 to {NameMax} characters without control characters");
            return "";
        }

        return family;
    }

    /// <summary>The family named by an assignment; an unknown one is refused (families are declared first, with their matrix).</summary>
    private static async Task<string> KnownFamilyAsync(Session s, FamilyAssignmentInput input)
    {
        var v = new Validator();
        var family = FamilyName(v, "family", input.Family);
        v.ThrowIfInvalid();
        if (await s.QueryOneAsync<string>("SELECT name FROM setup_families WHERE tenant_id = @Tenant AND name = @family", new { s.Tenant, family }) is null)
        {
            throw ApiProblem.Invalid("family", $"unknown family '{family}'; declare it first (PUT /api/v1/schedule/setup-families)");
        }

        return family;
    }

    /// <summary>A program as routings name it: 1..200 characters without control characters.</summary>
    private static string Program(string program)
    {
        program = program.Trim();
        return program.Length is 0 or > 200 || program.Any(char.IsControl)
            ? throw ApiProblem.Invalid("program", "must be 1 to 200 characters without control characters")
            : program;
    }
}
