using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Makerspace;

/// <summary>Reports, moderation, bans, the makerspace's openness and its external participants.</summary>
internal static class MakerspaceAdminApi
{
    public static void MapMakerspaceAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/makerspace").WithTags("Makerspace");

        group.MapPost("/ideas/{id:long}/report", async (long id, ReportInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var report = await sessions.RunAsync(caller, s => IdeaModeration.ReportAsync(s, id, input), ct);
                return TypedResults.Created($"/api/v1/makerspace/reports/{report.Id}", report);
            })
            .RequireAuthorization(MakerspaceModule.Contribute)
            .WithSummary("Report an idea, or one of its comments (commentId), to the moderators.");

        var moderate = group.MapGroup("/").RequireAuthorization(Policies.TenantAdmin);
        foreach (var (path, hide) in new[] { ("hide", true), ("unhide", false) })
        {
            moderate.MapPost($"/ideas/{{id:long}}/{path}", async (long id, ReasonInput? input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => IdeaModeration.HideIdeaAsync(s, id, input ?? new ReasonInput(null), hide), ct)));
            moderate.MapPost($"/ideas/{{id:long}}/comments/{{commentId:long}}/{path}", async (long id, long commentId, ReasonInput? input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => IdeaModeration.HideCommentAsync(s, id, commentId, input ?? new ReasonInput(null), hide), ct)));
        }

        moderate.MapGet("/reports", async (bool? includeResolved, Caller caller, Sessions sessions, CancellationToken ct) =>
            TypedResults.Ok(await sessions.RunAsync(caller, s => IdeaModeration.ReportsAsync(s, includeResolved ?? false), ct)));
        moderate.MapPost("/reports/{id:long}/resolve", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            TypedResults.Ok(await sessions.RunAsync(caller, s => IdeaModeration.ResolveAsync(s, id), ct)));

        moderate.MapGet("/bans", async (Caller caller, Sessions sessions, CancellationToken ct) =>
            TypedResults.Ok(await sessions.RunAsync(caller, IdeaModeration.BansAsync, ct)));
        moderate.MapPost("/bans", async (BanInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            TypedResults.Ok(await sessions.RunAsync(caller, s => IdeaModeration.BanAsync(s, input), ct)))
            .WithSummary("Ban a key of the tenant from contributing to the makerspace (it may still read).");
        moderate.MapDelete("/bans/{keyId:long}", async (long keyId, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await IdeaModeration.UnbanAsync(s, keyId);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            });

        moderate.MapGet("/settings", async (Caller caller, Sessions sessions, CancellationToken ct) =>
            TypedResults.Ok(await sessions.RunAsync(caller, async s => new SettingsDto(await Makerspace.IsOpenAsync(s)), ct)));
        moderate.MapPut("/settings", async (SettingsInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            TypedResults.Ok(await sessions.RunAsync(caller, s => Makerspace.SetOpenAsync(s, input), ct)))
            .WithSummary("Open or close the makerspace to registered external participants.");

        moderate.MapGet("/participants", async (Caller caller, Sessions sessions, CancellationToken ct) =>
            TypedResults.Ok(await sessions.RunAsync(caller, Participants.ListAsync, ct)));
        moderate.MapPost("/participants", async (ParticipantInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var registered = await sessions.RunAsync(caller, s => Participants.RegisterAsync(s, input), ct);
                return TypedResults.Created($"/api/v1/makerspace/participants/{registered.Participant.Id}", registered);
            })
            .WithSummary("Register an external participant; their key (role participant) is shown only in this response.");
        moderate.MapDelete("/participants/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await Participants.RemoveAsync(s, id);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            });
    }
}
