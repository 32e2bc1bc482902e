using Millwright.Api;

namespace Millwright.Features.Fleet;

/// <summary>
/// The fleet_operators table: machine operators with their licences and absences. A licence for a machine type no
/// allocated machine has, or absences that overlap one another, are refused naming the field.
/// </summary>
internal static class FleetOperators
{
    public const int MaxLicences = 20;
    public const int MaxAbsences = 200;
    public const int MaxOperators = 10_000;

    private const string Select = "SELECT id AS Id, name AS Name, licences AS Licences, unavailable AS Unavailable, updated_at AS UpdatedAt FROM fleet_operators";

    public static async Task<IReadOnlyList<OperatorDto>> ListAsync(Session s) =>
        (await s.QueryAsync<OperatorRow>($"{Select} WHERE tenant_id = @Tenant ORDER BY name, id", new { s.Tenant })).Select(r => r.AsDto()).ToList();

    public static async Task<OperatorDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<OperatorRow>($"{Select} WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("operator", id);

    public static async Task<OperatorDto> CreateAsync(Session s, OperatorInput input)
    {
        var (name, licences, absences) = await ValidateAsync(s, input);
        if (await s.ScalarAsync<long>("SELECT COUNT(*) FROM fleet_operators WHERE tenant_id = @Tenant", new { s.Tenant }) >= MaxOperators)
        {
            throw ApiProblem.Conflict($"The tenant has {MaxOperators} operators, the most it may have.");
        }

        var id = await s.GuardAsync(() => s.ScalarAsync<long>(
            """
            INSERT INTO fleet_operators (tenant_id, name, licences, unavailable, created_at, updated_at)
            VALUES (@Tenant, @name, @licences, @absences, @Now, @Now) RETURNING id
            """, new { s.Tenant, name, licences = OperatorRow.Serialize(licences), absences = OperatorRow.Serialize(absences), s.Now }), $"an operator named '{name}' exists");
        await s.AuditAsync("create", "operator", id, $"operator '{name}' licensed for {Describe(licences)}");
        return await GetAsync(s, id);
    }

    public static async Task<OperatorDto> UpdateAsync(Session s, long id, OperatorInput input)
    {
        await GetAsync(s, id);
        var (name, licences, absences) = await ValidateAsync(s, input);
        await s.GuardAsync(() => s.ExecuteAsync(
            "UPDATE fleet_operators SET name = @name, licences = @licences, unavailable = @absences, updated_at = @Now WHERE tenant_id = @Tenant AND id = @id",
            new { s.Tenant, id, name, licences = OperatorRow.Serialize(licences), absences = OperatorRow.Serialize(absences), s.Now }), $"an operator named '{name}' exists");
        await s.AuditAsync("update", "operator", id, $"operator '{name}' licensed for {Describe(licences)}, {absences.Count} absences");
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var existing = await GetAsync(s, id);
        await s.ExecuteAsync("DELETE FROM fleet_operators WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        await s.AuditAsync("delete", "operator", id, $"operator '{existing.Name}' removed (past plans keep the name)");
    }

    private static async Task<(string Name, List<LicenceDto> Licences, List<AbsenceDto> Absences)> ValidateAsync(Session s, OperatorInput input)
    {
        var v = new Validator();
        var name = v.Name("name", input.Name);
        var licences = new List<LicenceDto>();
        var absences = new List<AbsenceDto>();
        if (input.Licences is { Count: > MaxLicences })
        {
            v.Add("licences", $"at most {MaxLicences}");
        }

        if (input.Unavailable is { Count: > MaxAbsences })
        {
            v.Add("unavailable", $"at most {MaxAbsences}");
        }

        var known = await AllocationProfiles.CategoriesAsync(s);
        for (var i = 0; i < (input.Licences?.Count ?? 0) && i < MaxLicences; i++)
        {
            var l = input.Licences![i];
            var field = $"licences[{i}]";
            var category = AllocationProfiles.Category(v, $"{field}.category", l?.Category);
            if (category.Length > 0 && !known.Contains(category))
            {
                v.Add($"{field}.category", $"unknown machine type '{category}': the fleet has {(known.Count == 0 ? "no allocated machines" : string.Join(", ", known.Order(StringComparer.Ordinal)))}");
            }

            if (l?.ValidFrom is not { } from || l.ValidTo is not { } to || from >= to)
            {
                v.Add($"{field}.validTo", "validFrom and validTo are required, validFrom before validTo");
                continue;
            }

            licences.Add(new LicenceDto(category, from.ToUniversalTime(), to.ToUniversalTime()));
        }

        for (var i = 0; i < (input.Unavailable?.Count ?? 0) && i < MaxAbsences; i++)
        {
            var a = input.Unavailable![i];
            var field = $"unavailable[{i}]";
            if (a?.From is not { } from || a.To is not { } to || from >= to)
            {
                v.Add(field, "from and to are required, from before to");
                continue;
            }

            var reason = v.Description($"{field}.reason", a.Reason);
            // Two bookings of one person at the same time are a data error, not two reasons to be away.
            if (absences.FirstOrDefault(b => b.From < to && from < b.To) is { } clash)
            {
                v.Add(field, $"overlaps the operator's booking from {clash.From:u} to {clash.To:u}");
            }

            absences.Add(new AbsenceDto(from.ToUniversalTime(), to.ToUniversalTime(), reason));
        }

        v.ThrowIfInvalid();
        return (name, licences, absences);
    }

    private static string Describe(List<LicenceDto> licences) =>
        licences.Count == 0 ? "nothing" : string.Join(", ", licences.Select(l => $"{l.Category} ({l.ValidFrom:yyyy-MM-dd} to {l.ValidTo:yyyy-MM-dd})"));
}
