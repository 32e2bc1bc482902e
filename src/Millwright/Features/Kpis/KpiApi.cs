using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Kpis;

internal static class KpiApi
{
    public static void MapKpis(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/kpis", async ([AsParameters] KpiQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Kpis.ReportAsync(s, query), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("KPIs")
            .WithSummary("OEE and ISO 22400-2 KPIs of a machine, line or site over [from, to), optionally per shift, day or week, each with its inputs.");
        app.MapGet("/api/v1/kpis/machines", async ([AsParameters] MachineKpiQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => KpiBoard.MachinesAsync(s, query), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("KPIs")
            .WithSummary("Each machine's availability, effectiveness, quality ratio and OEE over [from, to) (at most 7 days), for a site, a line or the whole tenant.");
    }
}
