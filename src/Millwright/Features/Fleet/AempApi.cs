using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>
/// The ISO 15143-3 read API: the fleet snapshot (every machine's latest of each element, 100 machines a page),
/// one machine's snapshot, and one machine's time series of one element in [startDateUTC, endDateUTC), 100
/// occurrences a page. Paths and page links follow the standard (…/Fleet/{page},
/// …/Fleet/Equipment/ID/{id}/{element}/{start}/{end}/{page}); XML in its namespace unless the client
/// accepts JSON rather than XML.
/// </summary>
internal static class AempApi
{
    public const string Base = "/api/v1/aemp";
    public const int SnapshotPageSize = 100;
    public const int SeriesPageSize = 100;

    public static void MapAemp(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Base + "/Fleet").WithTags("Fleet").RequireAuthorization(Policies.Viewer);

        group.MapGet("/", (HttpContext http, Caller caller, Sessions sessions, AempReader reader, TimeProvider clock, CancellationToken ct) =>
                FleetAsync(1, http, caller, sessions, reader, clock, ct))
            .WithSummary("The first page of the fleet snapshot (ISO 15143-3).");

        group.MapGet("/{page:long}", (long page, HttpContext http, Caller caller, Sessions sessions, AempReader reader, TimeProvider clock, CancellationToken ct) =>
                FleetAsync(page, http, caller, sessions, reader, clock, ct))
            .WithSummary("A page of the fleet snapshot: every fleet machine's latest value of each element, 100 machines a page.");

        group.MapGet("/Equipment/ID/{id:long}", async (long id, HttpContext http, Caller caller, Sessions sessions, AempReader reader, TimeProvider clock, CancellationToken ct) =>
            {
                var equipment = await sessions.RunAsync(caller, s => FleetEquipment.GetAsync(s, id), ct);
                var records = await reader.LatestAsync(caller.Tenant, id, ct);
                var self = Url(http, $"/Fleet/Equipment/ID/{id}");
                return Respond(http, new AempFleetPage(Now(clock), [new("self", self)], [new AempEquipment(id, equipment.Header, records)]));
            })
            .WithSummary("One fleet machine's snapshot.");

        group.MapGet("/Equipment/ID/{id:long}/{element}/{startDateUTC}/{endDateUTC}/{page:long}",
                async (long id, string element, string startDateUTC, string endDateUTC, long page, HttpContext http, Caller caller, Sessions sessions, AempReader reader, TimeProvider clock, CancellationToken ct) =>
                {
                    var from = TimeRange.ParseTime("startDateUTC", startDateUTC);
                    var to = TimeRange.ParseTime("endDateUTC", endDateUTC);
                    if (from >= to)
                    {
                        throw ApiProblem.Invalid("endDateUTC", "must be after startDateUTC");
                    }

                    RequirePage(page);
                    RequireWithin(page, int.MaxValue);
                    var equipment = await sessions.RunAsync(caller, s => FleetEquipment.GetAsync(s, id), ct);
                    string root, item, name;
                    (IReadOnlyList<AempRecord> Records, int Total) found;
                    if (AempCatalog.Find(element) is { } e)
                    {
                        (root, item, name) = (e.SeriesRoot, e.Name, e.Name);
                        found = await reader.SeriesAsync(caller.Tenant, id, e, from, to, (int)page, SeriesPageSize, ct);
                    }
                    else if (AempCatalog.FindCodes(element) is { } codes)
                    {
                        (root, item, name) = (codes.SeriesRoot, codes.ItemName, codes.Name);
                        found = await reader.CodesAsync(caller.Tenant, id, codes, from, to, (int)page, SeriesPageSize, ct);
                    }
                    else
                    {
                        throw new ApiProblem(StatusCodes.Status404NotFound, "Not found",
                            $"'{element}' is not an element this API serves; one of: {string.Join(", ", AempCatalog.SeriesNames)}.");
                    }

                    if (found.Total > AempReader.MaxSeriesPoints)
                    {
                        throw ApiProblem.Invalid("endDateUTC", $"the range holds more than {AempReader.MaxSeriesPoints} points; narrow it");
                    }

                    var last = Pages(found.Total, SeriesPageSize);
                    RequireWithin(page, last);
                    // The dates as the client wrote them: one path segment each, so they hold no '/'.
                    var prefix = $"/Fleet/Equipment/ID/{id}/{name}/{startDateUTC}/{endDateUTC}/";
                    var links = Links(http, prefix, page, last);
                    var document = new AempSeriesPage(root, Now(clock), links, equipment.Header, found.Records);
                    return WantsJson(http)
                        ? Results.Bytes(AempJson.Series(document, item), AempJson.ContentType)
                        : Results.Text(AempXml.Series(document), AempXml.ContentType);
                })
            .WithSummary("One element's occurrences for one machine in [startDateUTC, endDateUTC), 100 a page, oldest first; FaultCodes and CautionCodes list each new code.");
    }

    private static async Task<IResult> FleetAsync(long page, HttpContext http, Caller caller, Sessions sessions, AempReader reader, TimeProvider clock, CancellationToken ct)
    {
        RequirePage(page);
        RequireWithin(page, int.MaxValue);
        var (items, total) = await sessions.RunAsync(caller, s => FleetEquipment.PageAsync(s, (int)page, SnapshotPageSize), ct);
        var last = Pages(total, SnapshotPageSize);
        RequireWithin(page, last);
        var equipment = new List<AempEquipment>(items.Count);
        foreach (var item in items)
        {
            equipment.Add(new AempEquipment(item.MachineId, item.Header, await reader.LatestAsync(caller.Tenant, item.MachineId, ct)));
        }

        return Respond(http, new AempFleetPage(Now(clock), Links(http, "/Fleet/", page, last), equipment));
    }

    private static IResult Respond(HttpContext http, AempFleetPage page) =>
        WantsJson(http) ? Results.Bytes(AempJson.Fleet(page), AempJson.ContentType) : Results.Text(AempXml.Fleet(page), AempXml.ContentType);

    /// <summary>self, first, prev (not on the first page), next (not on the last) and last, as absolute URLs.</summary>
    private static List<AempLink> Links(HttpContext http, string prefix, long page, long last)
    {
        var links = new List<AempLink> { new("self", Url(http, prefix + page)), new("first", Url(http, prefix + 1)) };
        if (page > 1)
        {
            links.Add(new("prev", Url(http, prefix + (page - 1))));
        }

        if (page < last)
        {
            links.Add(new("next", Url(http, prefix + (page + 1))));
        }

        links.Add(new("last", Url(http, prefix + last)));
        return links;
    }

    /// <summary>Pages a list of <paramref name="total"/> needs; an empty list still has its (empty) first page.</summary>
    private static int Pages(long total, int size) => (int)Math.Max(1, (total + size - 1) / size);

    private static void RequirePage(long page)
    {
        if (page < 1)
        {
            throw ApiProblem.Invalid("page", "pages are numbered from 1");
        }
    }

    private static void RequireWithin(long page, long last)
    {
        if (page > last)
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Page {page} is past the last page ({last}).");
        }
    }

    /// <summary>XML is the standard's default; JSON when the client ranks it above XML in Accept.</summary>
    private static bool WantsJson(HttpContext http)
    {
        double json = 0, xml = 0;
        foreach (var accept in http.Request.GetTypedHeaders().Accept)
        {
            var quality = accept.Quality ?? 1;
            var type = accept.MediaType.Value ?? "";
            if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json, quality);
            }
            else if (type.EndsWith("/xml", StringComparison.OrdinalIgnoreCase))
            {
                xml = Math.Max(xml, quality);
            }
        }

        return json > xml;
    }

    private static string Url(HttpContext http, string path) => $"{http.Request.Scheme}://{http.Request.Host}{Base}{path}";

    private static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
