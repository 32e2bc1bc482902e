using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Alarms;

/// <summary>The alarm routes: rules, alarms and their lifecycle, history, counts, and webhooks.</summary>
internal static class AlarmsApi
{
    /// <summary>
    /// After a write on the group commits, the engine rereads the tenant's rules before the answer goes out. On
    /// machines (<paramref name="onlyWatched"/>: only for tenants with rules) this makes a type rule cover a new
    /// machine from its very first reading; without it the engine learnt of the machine from that reading and
    /// reloaded in the background, too late to judge it.
    /// </summary>
    public static RouteGroupBuilder ReloadsAlarmRules(this RouteGroupBuilder group, bool onlyWatched)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) && (await Caller.BindAsync(http))?.TenantId is { } tenant)
            {
                var engine = http.RequestServices.GetRequiredService<AlarmEngine>();
                if (!onlyWatched || engine.Watches(tenant))
                {
                    await engine.ReloadAsync(tenant, http.RequestAborted);
                }
            }

            return result;
        });
        return group;
    }

    public static void MapAlarms(this IEndpointRouteBuilder app)
    {
        // The engine reloads the tenant's rules after a change commits, before the answer goes out, so a reading
        // sent after the answer is judged by the new rules.
        app.MapCrud("alarm-rules", "Alarms", AlarmRules.Operations).ReloadsAlarmRules(onlyWatched: false);

        var webhooks = app.MapCrud("webhooks", "Alarms", app.ServiceProvider.GetRequiredService<Webhooks>().Operations, Policies.Viewer, Policies.TenantAdmin);
        webhooks.MapGet("/{id:long}/deliveries", async (long id, int? limit, long? after, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Webhooks.DeliveriesAsync(s, id, PageRequest.From(limit, after)), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Every delivery attempt of the webhook, oldest first: status code or error, and outcome.");

        var alarms = app.MapGroup("/api/v1/alarms").WithTags("Alarms");
        alarms.MapGet("/", async ([AsParameters] AlarmQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => AlarmQueries.ListAsync(s, query), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Open alarms (or ?state=...|all), filtered by severity, machine, line or site.");

        alarms.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => AlarmQueries.GetAsync(s, id), ct)))
            .RequireAuthorization(Policies.Viewer);

        alarms.MapGet("/{id:long}/events", async (long id, int? limit, long? after, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, async s =>
                {
                    await AlarmQueries.GetAsync(s, id);
                    return await AlarmQueries.EventsAsync(s, id, null, null, null, PageRequest.From(limit, after));
                }, ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Every transition of one alarm.");

        alarms.MapGet("/history", async (ZonedTime? from, ZonedTime? to, long? machine, int? limit, long? after, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => AlarmQueries.EventsAsync(s, null, from?.At, to?.At, machine, PageRequest.From(limit, after)), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Every transition of the tenant's alarms in [from, to), optionally of one machine.");

        alarms.MapGet("/counts", async (ZonedTime? from, ZonedTime? to, string? bucket, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => AlarmQueries.CountsAsync(s, from?.At, to?.At, bucket), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("Alarms raised per hour, day or week of [from, to), by severity.");

        alarms.MapPost("/{id:long}/acknowledge", async (long id, AcknowledgeInput input, Caller caller, Sessions sessions, AlarmEvents events, CancellationToken ct) =>
            {
                var comment = Text(input.Comment, "comment", required: false);
                var message = await sessions.RunAsync(caller, s => AlarmLifecycle.AcknowledgeAsync(s, id, comment), ct);
                events.Publish(message);
                return TypedResults.Ok(await sessions.RunAsync(caller, s => AlarmQueries.GetAsync(s, id), ct));
            })
            .RequireAuthorization(Policies.Operator);

        alarms.MapPost("/{id:long}/shelve", async (long id, ShelveInput input, Caller caller, Sessions sessions, AlarmEvents events, AlarmWriter writer, CancellationToken ct) =>
            {
                var v = new Validator();
                if (input.Minutes is not (>= 1 and <= AlarmVocabulary.MaxShelveMinutes))
                {
                    v.Add("minutes", $"is required, between 1 and {AlarmVocabulary.MaxShelveMinutes} (a week)");
                }

                v.ThrowIfInvalid();
                var reason = Text(input.Reason, "reason", required: true)!;
                var message = await sessions.RunAsync(caller, s => AlarmLifecycle.ShelveAsync(s, id, input.Minutes!.Value, reason), ct);
                events.Publish(message);
                var alarm = await sessions.RunAsync(caller, s => AlarmQueries.GetAsync(s, id), ct);
                writer.NoteShelvedUntil(alarm.ShelvedUntil!.Value.ToUnixTimeMilliseconds());
                return TypedResults.Ok(alarm);
            })
            .RequireAuthorization(Policies.Operator);

        alarms.MapPost("/{id:long}/unshelve", async (long id, Caller caller, Sessions sessions, AlarmEvents events, CancellationToken ct) =>
            {
                var message = await sessions.RunAsync(caller, s => AlarmLifecycle.UnshelveAsync(s, id, null), ct);
                events.Publish(message);
                return TypedResults.Ok(await sessions.RunAsync(caller, s => AlarmQueries.GetAsync(s, id), ct));
            })
            .RequireAuthorization(Policies.Operator);
    }

    private static string? Text(string? value, string field, bool required)
    {
        var v = new Validator();
        if (required && string.IsNullOrWhiteSpace(value))
        {
            v.Add(field, "is required");
        }
        else if (value is { Length: > AlarmVocabulary.CommentMax })
        {
            v.Add(field, $"must be at most {AlarmVocabulary.CommentMax} characters");
        }
        else if (value is not null && value.Any(c => char.IsControl(c) && c != '\n'))
        {
            v.Add(field, "must not contain control characters other than line breaks");
        }

        v.ThrowIfInvalid();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
