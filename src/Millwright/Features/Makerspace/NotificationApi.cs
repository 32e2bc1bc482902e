using System.Text;
using System.Text.Json;
using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Notifications to followers under <c>/api/v1/makerspace/notifications</c> (any makerspace key, participants
/// included: each reads its own), the live stream of them, and invitations with which participants register themselves.
/// </summary>
internal static class NotificationApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(25);

    public static void MapNotifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/makerspace").WithTags("Makerspace");

        group.MapGet("/notifications", async (long? after, bool? unread, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => FollowerNotifications.ListAsync(s, after, unread == true), ct)))
            .RequireAuthorization(MakerspaceModule.Read)
            .WithSummary("What happened to the ideas and design projects this key follows: the latest 200 (newest first), or those after an id (oldest first).");

        group.MapPost("/notifications/read", async (ReadInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => FollowerNotifications.MarkReadAsync(s, input), ct)))
            .RequireAuthorization(MakerspaceModule.Contribute)
            .WithSummary("Mark notifications read (keys that may follow: operators, tenant admins, participants; viewers write nothing).");

        group.MapGet("/notifications/stream", StreamAsync)
            .RequireAuthorization(MakerspaceModule.Read)
            .WithSummary("Server-sent events (Accept: text/event-stream): each new notification of this key as it commits; after=ID sends those missed first. Without that Accept: the list, as JSON.");

        group.MapGet("/invitations", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, Invitations.ListAsync, ct)))
            .RequireAuthorization(Policies.TenantAdmin);

        group.MapPost("/invitations", async (InvitationInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var issued = await sessions.RunAsync(caller, s => Invitations.IssueAsync(s, input), ct);
                return TypedResults.Created($"/api/v1/makerspace/invitations/{issued.Invitation.Id}", issued);
            })
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Issue an invitation for external participants to register themselves; the token is shown once.");

        group.MapDelete("/invitations/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Invitations.RevokeAsync(s, id), ct)))
            .RequireAuthorization(Policies.TenantAdmin);

        group.MapPost("/register", async (SelfRegistration input, HttpContext http, RegistrationRates rates, Sessions sessions, CancellationToken ct) =>
            {
                // Registering is for someone without a key: a key holder of any tenant would only mint a second identity.
                if (http.Request.Headers.ContainsKey("X-Api-Key") || http.Request.Headers.ContainsKey("Authorization"))
                {
                    throw ApiProblem.Forbidden("Registering with an invitation is for people without a key; send no API key.");
                }

                // Anyone may call this route: every attempt counts against its address before a token is looked up.
                if (rates.TakeAddress(http.Connection.RemoteIpAddress) is { } wait)
                {
                    throw RegistrationRates.TooMany("register-rate-address", "from this address", wait);
                }

                return TypedResults.Ok(await Invitations.RegisterAsync(sessions, input, rates, ct));
            })
            .AllowAnonymous()
            .WithSummary("Register as an external participant with an invitation; answers the participant's key (shown once): the makerspace and nothing else.");
    }

    /// <summary>
    /// Pushes the caller's new notifications as server-sent events: it reads what committed after the last one sent,
    /// then waits for the tenant's bell (or a keep-alive comment for proxies). Each read enters the makerspace again,
    /// so a participant shut out (makerspace closed) is cut off at the next event.
    /// </summary>
    private static async Task StreamAsync(long? after, HttpContext http, Caller caller, Sessions sessions, NotificationBell bell, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        if (!http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            // A client that does not take event streams gets what it would have been sent first: the latest, as JSON.
            await http.Response.WriteAsJsonAsync(await sessions.RunAsync(caller, s => FollowerNotifications.ListAsync(s, after, false), ct), Json, ct);
            return;
        }

        var latest = after is null ? await sessions.RunAsync(caller, s => FollowerNotifications.ListAsync(s, null, false), ct) : [];
        var last = after ?? (latest.Count > 0 ? latest[0].Id : 0);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(": notifications\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var rung = bell.Next(caller.Tenant);
                IReadOnlyList<NotificationDto> fresh;
                try
                {
                    fresh = await sessions.RunAsync(caller, s => FollowerNotifications.ListAsync(s, last, false), ct);
                }
                catch (ApiProblem)
                {
                    return;  // no longer admitted (the makerspace closed to participants, a ban)
                }

                var text = new StringBuilder();
                foreach (var n in fresh)
                {
                    text.Append("id: ").Append(n.Id).Append("\nevent: notification\ndata: ").Append(JsonSerializer.Serialize(n, Json)).Append("\n\n");
                    last = n.Id;
                }

                if (text.Length > 0)
                {
                    await http.Response.WriteAsync(text.ToString(), ct);
                    await http.Response.Body.FlushAsync(ct);
                }

                if (fresh.Count == FollowerNotifications.Limit)
                {
                    continue;  // more are waiting
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var won = await Task.WhenAny(rung, Task.Delay(KeepAlive, clock, wait.Token));
                await wait.CancelAsync();
                if (won != rung && !ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}
