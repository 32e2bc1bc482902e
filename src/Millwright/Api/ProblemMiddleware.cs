using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Millwright.Api;

/// <summary>
/// Turns every failure of a request into an RFC 9457 problem details response: expected ones
/// (<see cref="ApiProblem"/>, unreadable bodies) with what was wrong, unexpected ones as a logged 500.
/// </summary>
internal sealed class ProblemMiddleware(RequestDelegate next, IProblemDetailsService problems, ILogger<ProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiProblem problem) when (!context.Response.HasStarted)
        {
            var details = problem.Errors is null
                ? new ProblemDetails()
                : new HttpValidationProblemDetails(problem.Errors.ToDictionary(e => e.Key, e => e.Value));
            foreach (var (name, value) in problem.Extensions ?? new Dictionary<string, object?>())
            {
                details.Extensions[name] = value;
            }
            await WriteAsync(context, problem.Status, problem.Title, problem.Message, details, problem.RetryAfter);
        }
        catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request", Describe(bad), new ProblemDetails());
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal error", "The server failed to handle this request; it has been logged.", new ProblemDetails());
        }
    }

    private static string Describe(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException { Message: var m } json when m.Contains("could not be mapped", StringComparison.Ordinal) =>
            $"Unknown field '{json.Path}' in the JSON body.",
        JsonException json =>
            $"The JSON body is malformed or has a value of the wrong type at '{json.Path}' (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).",
        _ when bad.StatusCode == StatusCodes.Status413PayloadTooLarge => "The request body is larger than the server accepts.",
        _ when bad.Message.StartsWith("Required parameter", StringComparison.Ordinal) && bad.Message.Contains("from body", StringComparison.Ordinal) =>
            "A JSON body is required.",
        // Said of a body parameter inferred from its type, as every input record here is; the framework's own
        // text asks the developer whether a service was meant, which tells an API client nothing.
        _ when bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) => "A JSON body is required.",
        _ => bad.Message,
    };

    private async Task WriteAsync(HttpContext context, int status, string title, string detail, ProblemDetails details, TimeSpan? retryAfter = null)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        details.Status = status;
        details.Title = title;
        details.Detail = detail;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details });
    }
}
