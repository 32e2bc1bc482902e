using Millwright.Security;

namespace Millwright.Api;

/// <summary>Maps list, get, create, replace and delete for one registry entity under /api/v1/{route}.</summary>
internal static class CrudEndpoints
{
    public static RouteGroupBuilder MapCrud<TInput, TDto, TQuery>(
        this IEndpointRouteBuilder app,
        string route,
        string tag,
        CrudOperations<TInput, TDto, TQuery> ops,
        string readPolicy = Policies.Viewer,
        string writePolicy = Policies.Operator)
        where TInput : class
        where TQuery : IListQuery
    {
        var group = app.MapGroup($"/api/v1/{route}").WithTags(tag);

        group.MapGet("/", async ([AsParameters] TQuery query, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => ops.List(s, query, PageRequest.From(query.Limit, query.After)), ct)))
            .RequireAuthorization(readPolicy);

        group.MapGet("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => ops.Get(s, id), ct)))
            .RequireAuthorization(readPolicy);

        group.MapPost("/", async (TInput input, Caller caller, Sessions sessions, HttpContext http, CancellationToken ct) =>
            {
                var created = await sessions.RunAsync(caller, s => ops.Create(s, input), ct);
                return TypedResults.Created($"{http.Request.Path.Value?.TrimEnd('/')}/{IdOf(created)}", created);
            })
            .RequireAuthorization(writePolicy);

        group.MapPut("/{id:long}", async (long id, TInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => ops.Update(s, id, input), ct)))
            .RequireAuthorization(writePolicy);

        group.MapDelete("/{id:long}", async (long id, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await ops.Delete(s, id);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(writePolicy);

        return group;
    }

    private static long IdOf<TDto>(TDto dto) => dto is IHasId withId ? withId.Id : throw new InvalidOperationException($"{typeof(TDto).Name} has no id");
}

internal interface IHasId
{
    long Id { get; }
}
