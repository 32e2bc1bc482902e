namespace Millwright.Api;

/// <summary>
/// An expected failure of a request (bad input, missing object, conflict). Thrown from deep inside a
/// feature, turned into an RFC 9457 problem details response by <see cref="ProblemMiddleware"/>, and
/// reported with its position by the plant-file importer.
/// </summary>
internal sealed class ApiProblem(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    /// <summary>Members added to the problem details, e.g. the name of a quota that was reached.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>For a 429 or 503: how long the client should wait, sent as Retry-After in whole seconds (at least one).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The same answer whether the object is missing or belongs to another tenant.</summary>
    public static ApiProblem NotFound(string entity, long id) =>
        new(StatusCodes.Status404NotFound, "Not found", $"There is no {entity} with id {id}.");

    public static ApiProblem Conflict(string detail) =>
        new(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ApiProblem Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, "Invalid request", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    public static ApiProblem Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", detail);
}
