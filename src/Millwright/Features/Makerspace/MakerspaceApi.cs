using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Makerspace;

/// <summary>The makerspace's ideas, comments and reactions under <c>/api/v1/makerspace</c>; moderation and participants are in <see cref="MakerspaceAdminApi"/>.</summary>
internal static class MakerspaceApi
{
    public static void MapIdeas(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/makerspace").WithTags("Makerspace");
        var ideas = group.MapGroup("/ideas");

        ideas.MapGet("/", async ([AsParameters] IdeaQuery query, Caller caller, Sessions sessions, IdeaIndex index, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => IdeaSearch.ListAsync(s, index, query), ct)))
            .RequireAuthorization(MakerspaceModule.Read)
            .WithSummary("Ideas, filtered by status, tag, product family and text (q), sorted by rank (default), new, votes or relevance; paged by offset.");

        ideas.MapPost("/", async (IdeaInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var idea = await sessions.RunAsync(caller, s => Ideas.CreateAsync(s, input), ct);
                return TypedResults.Created($"/api/v1/makerspace/ideas/{idea.Id}", idea);
            })
            .RequireAuthorization(MakerspaceModule.Contribute);

        ideas.MapGet("/similar", async (string? text, int? limit, Caller caller, Sessions sessions, IdeaIndex index, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => IdeaSearch.SimilarAsync(s, index, text, limit), ct)))
            .RequireAuthorization(MakerspaceModule.Read)
            .WithSummary("Existing ideas like the text typed so far (BM25), best first: duplicate detection while proposing.");

        ideas.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Ideas.GetAsync(s, id), ct)))
            .RequireAuthorization(MakerspaceModule.Read);

        ideas.MapPut("/{id:long}", async (long id, IdeaInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => Ideas.UpdateAsync(s, id, input), ct)))
            .RequireAuthorization(MakerspaceModule.Contribute);

        ideas.MapPost("/{id:long}/status", async (long id, StatusInput input, Caller caller, Sessions sessions, NotificationBell bell, CancellationToken ct) =>
            {
                var idea = await sessions.RunAsync(caller, s => IdeaDecisions.MoveAsync(s, id, input), ct);
                bell.Ring(caller.Tenant);
                return TypedResults.Ok(idea);
            })
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Move an idea: submitted → under_review → accepted (with project) or declined (with reason).");

        ideas.MapGet("/{id:long}/contributors", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => IdeaDecisions.ContributorsAsync(s, id), ct)))
            .RequireAuthorization(MakerspaceModule.Read)
            .WithSummary("Who contributed to an accepted idea, frozen at acceptance (for reward).");

        ideas.MapGet("/{id:long}/comments", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => IdeaComments.ListAsync(s, id), ct)))
            .RequireAuthorization(MakerspaceModule.Read);

        ideas.MapPost("/{id:long}/comments", async (long id, CommentInput input, Caller caller, Sessions sessions, NotificationBell bell, CancellationToken ct) =>
            {
                var comment = await sessions.RunAsync(caller, s => IdeaComments.CreateAsync(s, id, input), ct);
                bell.Ring(caller.Tenant);
                return TypedResults.Created($"/api/v1/makerspace/ideas/{id}/comments", comment);
            })
            .RequireAuthorization(MakerspaceModule.Contribute);

        foreach (var (path, vote) in new[] { ("vote", true), ("follow", false) })
        {
            ideas.MapPut($"/{{id:long}}/{path}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                    TypedResults.Ok(await sessions.RunAsync(caller, s => vote ? IdeaReactions.VoteAsync(s, id, true) : IdeaReactions.FollowAsync(s, id, true), ct)))
                .RequireAuthorization(MakerspaceModule.Contribute);
            ideas.MapDelete($"/{{id:long}}/{path}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                    TypedResults.Ok(await sessions.RunAsync(caller, s => vote ? IdeaReactions.VoteAsync(s, id, false) : IdeaReactions.FollowAsync(s, id, false), ct)))
                .RequireAuthorization(MakerspaceModule.Contribute);
        }

        group.MapGet("/following", async (Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, IdeaReactions.FollowingAsync, ct)))
            .RequireAuthorization(MakerspaceModule.Read)
            .WithSummary("The ideas the caller's key follows, most recently changed first.");

        ideas.MapGet("/{id:long}/attachments", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => IdeaAttachments.ListAsync(s, id), ct)))
            .RequireAuthorization(MakerspaceModule.Read);

        ideas.MapPost("/{id:long}/attachments", async (long id, string? name, HttpRequest request, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var bytes = await ReadBodyAsync(request, ct);
                var added = await sessions.RunAsync(caller, s => IdeaAttachments.AddAsync(s, id, name, request.ContentType, bytes), ct);
                return TypedResults.Created($"/api/v1/makerspace/ideas/{id}/attachments/{added.Sha256}", added);
            })
            .RequireAuthorization(MakerspaceModule.Contribute)
            .WithSummary("Attach a file: the bytes as the body, its type as Content-Type, ?name= its file name. Named by SHA-256.");

        ideas.MapGet("/{id:long}/attachments/{sha256}", async (long id, string sha256, HttpResponse response, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                var (type, name, data) = await sessions.RunAsync(caller, s => IdeaAttachments.ReadAsync(s, id, sha256), ct);

                // Served as a download and never sniffed, so an uploaded file cannot run as a page of this origin.
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
                return TypedResults.File(data, type, name);
            })
            .RequireAuthorization(MakerspaceModule.Read);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > IdeaAttachments.MaxBytes)
            {
                throw ApiProblem.Invalid("body", $"attachments are limited to {IdeaAttachments.MaxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
