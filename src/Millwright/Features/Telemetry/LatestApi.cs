using System.Globalization;
using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Telemetry;

/// <summary>The twin over REST: latest values of one machine, or of every machine of a line, area, site or list.</summary>
internal static class LatestApi
{
    public const int MaxMachines = 10_000;

    public static void MapLatest(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/machines/{id:long}/latest", async (long id, Caller caller, Sessions sessions, LatestValues latest, MachineConnectivity connectivity, CancellationToken ct) =>
            {
                var machine = await sessions.RunAsync(caller, s => Machines.Machines.GetAsync(s, id), ct);
                return TypedResults.Ok(Of(caller.Tenant, id, machine.Name, latest, connectivity));
            })
            .WithTags("Telemetry")
            .RequireAuthorization(Policies.Viewer);

        app.MapGet("/api/v1/latest", async (long? site, long? area, long? line, string? machines, string? format, long? since, Caller caller, MachineScopes scopes, LatestValues latest, MachineConnectivity connectivity, CancellationToken ct) =>
            {
                var compact = format switch
                {
                    null or "full" => false,
                    "compact" => true,
                    _ => throw ApiProblem.Invalid("format", "full (the default) or compact"),
                };
                if (since is not null && (!compact || since < 0))
                {
                    throw ApiProblem.Invalid("since", "the version of an earlier format=compact answer (a number from 0), with format=compact");
                }

                var ids = ParseIds(machines);
                if (site is null && area is null && line is null && ids is null)
                {
                    throw ApiProblem.Invalid("site", "name a site, area, line or a list of machines (machines=1,2,3)");
                }

                // Ids of other tenants or unknown ones are simply absent, as if they did not exist.
                IResult Answer(IReadOnlyList<(long Id, string Name)> found) => compact
                    ? new LatestCompactJson(caller.Tenant, found, since ?? -1, latest, connectivity)
                    : new LatestJson(caller.Tenant, found, latest, connectivity);

                if (site is null && area is null && line is null)
                {
                    return Answer(await scopes.FindAsync(caller.Tenant, ids!, ct));
                }

                var rows = await scopes.ListAsync(caller.Tenant, site, area, line, MaxMachines + 1, ct);
                if (rows.Count > MaxMachines)
                {
                    throw ApiProblem.Invalid("site", $"more than {MaxMachines} machines; narrow the query to an area or line");
                }

                var wanted = ids?.ToHashSet();
                return Answer(wanted is null ? rows : [.. rows.Where(r => wanted.Contains(r.Id))]);
            })
            .Produces<LatestListDto>()
            .WithTags("Telemetry")
            .WithSummary("Latest values of every machine of a site, area or line, or of machines=1,2,3 (at most 10,000 machines); "
                + "format=compact names each tag once and gives values as parallel arrays with Unix ms, and since=VERSION (of an earlier compact answer) lists only machines changed after it.")
            .RequireAuthorization(Policies.Viewer);
    }

    private static MachineLatestDto Of(long tenant, long id, string name, LatestValues latest, MachineConnectivity connectivity) =>
        new(id, name, connectivity.Of(tenant, id), latest.Of(tenant, id)
            .Select(r => new LatestValueDto(r.Tag, DateTimeOffset.FromUnixTimeMilliseconds(r.Timestamp), r.Value.AsObject()))
            .ToList());

    private static List<long>? ParseIds(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var ids = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || ids.Count >= MaxMachines)
            {
                throw ApiProblem.Invalid("machines", $"a comma-separated list of at most {MaxMachines} machine ids");
            }

            ids.Add(id);
        }

        return ids;
    }
}
