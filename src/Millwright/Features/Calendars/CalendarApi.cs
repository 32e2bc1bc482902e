using Microsoft.AspNetCore.Mvc;
using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Calendars;

internal static class CalendarApi
{
    public static void MapCalendars(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sites/{siteId:long}/calendar").WithTags("Calendars");

        group.MapGet("/", async (long siteId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => SiteCalendars.GetAsync(s, siteId), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The site's shifts, breaks, holidays and planned stops, in its time zone.");

        group.MapPut("/", async (long siteId, CalendarInput input, Caller caller, Sessions sessions, [FromServices] IEnumerable<ICalendarListener> listeners, CancellationToken ct) =>
            {
                var calendar = await sessions.RunAsync(caller, s => SiteCalendars.PutAsync(s, siteId, input), ct);
                foreach (var listener in listeners)
                {
                    listener.CalendarChanged(caller.Tenant);
                }

                return TypedResults.Ok(calendar);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Replace the site's calendar as one document.");
    }
}
