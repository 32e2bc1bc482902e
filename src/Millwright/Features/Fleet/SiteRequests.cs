using System.Text.Json;
using Millwright.Api;

namespace Millwright.Features.Fleet;

/// <summary>
/// The fleet_site_requests table: job sites' requests, open until cancelled. A request is checked against the
/// fleet when it is written: one for a machine type no allocated machine has, or with capabilities no machine of
/// that type reaches, is refused naming the field, since no plan could ever serve it.
/// </summary>
internal static class SiteRequests
{
    public const int MaxOpen = 5_000;
    public static readonly string[] Statuses = ["open", "cancelled"];

    private const string Select =
        """
        SELECT id AS Id, site AS Site, category AS Category, min_capabilities AS MinCapabilities, latitude AS Latitude, longitude AS Longitude,
               starts_at AS StartsAt, ends_at AS EndsAt, status AS Status, updated_at AS UpdatedAt FROM fleet_site_requests
        """;

    public static async Task<IReadOnlyList<SiteRequestDto>> ListAsync(Session s, string? status) =>
        (await s.QueryAsync<SiteRequestRow>($"{Select} WHERE tenant_id = @Tenant {(status is null ? "" : "AND status = @status")} ORDER BY starts_at, id", new { s.Tenant, status }))
        .Select(r => r.AsDto()).ToList();

    public static async Task<SiteRequestDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<SiteRequestRow>($"{Select} WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("site request", id);

    public static async Task<SiteRequestDto> CreateAsync(Session s, SiteRequestInput input)
    {
        var r = await ValidateAsync(s, input);
        if (await s.ScalarAsync<long>("SELECT COUNT(*) FROM fleet_site_requests WHERE tenant_id = @Tenant AND status = 'open'", new { s.Tenant }) >= MaxOpen)
        {
            throw ApiProblem.Conflict($"The tenant has {MaxOpen} open site requests, the most one plan takes; cancel some first.");
        }

        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO fleet_site_requests (tenant_id, site, category, min_capabilities, latitude, longitude, starts_at, ends_at, status, created_at, updated_at)
            VALUES (@Tenant, @Site, @Category, @Min, @Latitude, @Longitude, @From, @To, 'open', @Now, @Now) RETURNING id
            """, new { s.Tenant, r.Site, r.Category, r.Min, r.Latitude, r.Longitude, r.From, r.To, s.Now });
        await s.AuditAsync("create", "site-request", id, $"site request for a {r.Category} at '{r.Site}' {Range(r.From, r.To)}");
        return await GetAsync(s, id);
    }

    public static async Task<SiteRequestDto> UpdateAsync(Session s, long id, SiteRequestInput input)
    {
        var existing = await GetAsync(s, id);
        if (existing.Status != "open")
        {
            throw ApiProblem.Conflict($"Site request {id} is {existing.Status}; only an open request can be changed.");
        }

        var r = await ValidateAsync(s, input);
        await s.ExecuteAsync(
            """
            UPDATE fleet_site_requests SET site = @Site, category = @Category, min_capabilities = @Min, latitude = @Latitude, longitude = @Longitude,
                   starts_at = @From, ends_at = @To, updated_at = @Now WHERE tenant_id = @Tenant AND id = @id
            """, new { s.Tenant, id, r.Site, r.Category, r.Min, r.Latitude, r.Longitude, r.From, r.To, s.Now });
        await s.AuditAsync("update", "site-request", id, $"site request for a {r.Category} at '{r.Site}' {Range(r.From, r.To)}");
        return await GetAsync(s, id);
    }

    public static async Task<SiteRequestDto> CancelAsync(Session s, long id)
    {
        var existing = await GetAsync(s, id);
        if (existing.Status == "open")
        {
            await s.ExecuteAsync("UPDATE fleet_site_requests SET status = 'cancelled', updated_at = @Now WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id, s.Now });
            await s.AuditAsync("cancel", "site-request", id, $"site request for a {existing.Category} at '{existing.Site}' cancelled");
        }

        return await GetAsync(s, id);
    }

    private sealed record Valid(string Site, string Category, string Min, double Latitude, double Longitude, long From, long To);

    private static async Task<Valid> ValidateAsync(Session s, SiteRequestInput input)
    {
        var v = new Validator();
        var site = v.Name("site", input.Site);
        var category = AllocationProfiles.Category(v, "category", input.Category);
        var min = AllocationProfiles.Capabilities(v, "minCapabilities", input.MinCapabilities);
        if (!Coordinates.IsLatitude(input.Latitude))
        {
            v.Add("latitude", "is required: -90..90");
        }

        if (!Coordinates.IsLongitude(input.Longitude))
        {
            v.Add("longitude", "is required: -180..180");
        }

        if (input.From is null || input.To is null || input.From >= input.To)
        {
            v.Add("to", "from and to are required, from before to");
        }

        v.ThrowIfInvalid();
        await RequireCapableMachineAsync(s, category, min);
        return new Valid(site, category, JsonSerializer.Serialize(min), input.Latitude!.Value, input.Longitude!.Value,
            input.From!.Value.ToUnixTimeMilliseconds(), input.To!.Value.ToUnixTimeMilliseconds());
    }

    /// <summary>Refuses a request no allocated machine could ever serve, naming the field at fault.</summary>
    private static async Task RequireCapableMachineAsync(Session s, string category, Dictionary<string, double> min)
    {
        var sameType = (await AllocationProfiles.ListAsync(s)).Where(p => p.Category == category).ToList();
        if (sameType.Count == 0)
        {
            var known = await AllocationProfiles.CategoriesAsync(s);
            throw ApiProblem.Invalid("category", known.Count == 0
                ? $"unknown machine type '{category}': no machine of the fleet has an allocation profile yet"
                : $"unknown machine type '{category}': the fleet has {string.Join(", ", known.Order(StringComparer.Ordinal))}");
        }

        foreach (var (name, needed) in min)
        {
            var best = sameType.Select(p => p.Capabilities.TryGetValue(name, out var has) ? has : (double?)null).Max();
            if (best is null || best < needed)
            {
                throw ApiProblem.Invalid($"minCapabilities.{name}", best is null
                    ? $"no {category} of the fleet states '{name}'"
                    : FormattableString.Invariant($"no {category} of the fleet has {name} ≥ {needed} (the most is {best})"));
            }
        }

        if (min.Count > 1 && !sameType.Any(p => min.All(c => p.Capabilities.TryGetValue(c.Key, out var has) && has >= c.Value)))
        {
            throw ApiProblem.Invalid("minCapabilities", $"no single {category} of the fleet has all of these capabilities at once");
        }
    }

    private static string Range(long from, long to) =>
        $"{DateTimeOffset.FromUnixTimeMilliseconds(from):u} to {DateTimeOffset.FromUnixTimeMilliseconds(to):u}";
}
