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
            .WithSummary("A page of the fleet snapshot: every fleet machine's latest value of each element, 100 machines a page; ?startDateUTC=&endDateUTC= keeps only the occurrences in that range.");

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
        if (SnapshotWindow(http) is { } window)
        {
            return await WindowAsync(page, window, http, caller, sessions, reader, clock, ct);
        }

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

    /// <summary>
    /// The snapshot filtered by time (<c>?startDateUTC=&amp;endDateUTC=</c>, either or both): each machine's latest
    /// occurrences whose datetime lies in [start, end), and only the machines that have one, paged over those
    /// machines; the page links carry the filter. A client polling for what changed since its last poll passes that
    /// time as startDateUTC. Latest values only: an element reported again after endDateUTC is left out rather
    /// than shown as it was then (the time series answers that).
    /// </summary>
    private static async Task<IResult> WindowAsync(long page, (long From, long To, string Query) window, HttpContext http, Caller caller, Sessions sessions,
        AempReader reader, TimeProvider clock, CancellationToken ct)
    {
        var (all, _) = await sessions.RunAsync(caller, s => FleetEquipment.PageAsync(s, 1, int.MaxValue), ct);
        var matching = all.Where(e => reader.ReportedWithin(caller.Tenant, e.MachineId, window.From, window.To)).ToList();
        var last = Pages(matching.Count, SnapshotPageSize);
        RequireWithin(page, last);
        var equipment = new List<AempEquipment>();
        foreach (var item in matching.Skip((int)(page - 1) * SnapshotPageSize).Take(SnapshotPageSize))
        {
            var records = (await reader.LatestAsync(caller.Tenant, item.MachineId, ct)).Where(r => r.Timestamp >= window.From && r.Timestamp < window.To).ToList();
            equipment.Add(new AempEquipment(item.MachineId, item.Header, records));
        }

        return Respond(http, new AempFleetPage(Now(clock), Links(http, "/Fleet/", page, last, window.Query), equipment));
    }

    /// <summary>The snapshot's time filter from the query, or null when it has none; a bad time or an empty range is 400.</summary>
    private static (long From, long To, string Query)? SnapshotWindow(HttpContext http)
    {
        var start = http.Request.Query["startDateUTC"].ToString();
        var end = http.Request.Query["endDateUTC"].ToString();
        if (start.Length == 0 && end.Length == 0)
        {
            return null;
        }

        var from = start.Length == 0 ? long.MinValue : TimeRange.ParseTime("startDateUTC", start);
        var to = end.Length == 0 ? long.MaxValue : TimeRange.ParseTime("endDateUTC", end);
        if (from >= to)
        {
            throw ApiProblem.Invalid("endDateUTC", "must be after startDateUTC");
        }

        var query = string.Join("&", new[] { ("startDateUTC", start), ("endDateUTC", end) }.Where(p => p.Item2.Length > 0)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        return (from, to, "?" + query);
    }

    private static IResult Respond(HttpContext http, AempFleetPage page) =>
        WantsJson(http) ? Results.Bytes(AempJson.Fleet(page), AempJson.ContentType) : Results.Text(AempXml.Fleet(page), AempXml.ContentType);

    /// <summary>self, first, prev (not on the first page), next (not on the last) and last, as absolute URLs.</summary>
    private static List<AempLink> Links(HttpContext http, string prefix, long page, long last, string query = "")
    {
        var links = new List<AempLink> { new("self", Url(http, prefix + page + query)), new("first", Url(http, prefix + 1 + query)) };
        if (page > 1)
        {
            links.Add(new("prev", Url(http, prefix + (page - 1) + query)));
        }

        if (page < last)
        {
            links.Add(new("next", Url(http, prefix + (page + 1) + query)));
        }

        links.Add(new("last", Url(http, prefix + last + query)));
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
