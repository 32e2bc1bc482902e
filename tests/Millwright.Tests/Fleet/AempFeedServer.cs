using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Millwright.Tests.Fleet;

/// <summary>
/// Another maker's AEMP API, as a real HTTP server on 127.0.0.1: serves <see cref="Body"/> at /Fleet to the right
/// Basic credentials (401 otherwise), or holds the request unanswered while <see cref="Silent"/> (a feed that hangs).
/// </summary>
internal sealed class AempFeedServer : IAsyncDisposable
{
    public const string User = "fleet-reader";
    public const string Password = "s3cret-feed";

    private readonly WebApplication _app;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AempFeedServer(WebApplication app) => _app = app;

    public string Body { get; set; } = "";

    /// <summary>Further pages of a paged feed by path ("/Fleet/2"), served with the same credentials check.</summary>
    public Dictionary<string, string> Pages { get; } = new(StringComparer.Ordinal);

    public bool Silent { get; set; }

    public int Requests { get; private set; }

    public string Url => new Uri(new Uri(_app.Urls.Single()), "/Fleet").ToString();

    public static async Task<AempFeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new AempFeedServer(app);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        app.MapGet("/Fleet", async (HttpContext http) =>
        {
            server.Requests++;
            if (http.Request.Headers.Authorization.ToString() != expected)
            {
                http.Response.StatusCode = 401;
                return;
            }

            if (server.Silent)
            {
                // Never answers within the importer's timeout; released when the server stops.
                await server._released.Task.WaitAsync(http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            http.Response.ContentType = "application/xml";
            await http.Response.WriteAsync(server.Body);
        });
        app.MapGet("/Fleet/{page:int}", async (int page, HttpContext http) =>
        {
            server.Requests++;
            if (http.Request.Headers.Authorization.ToString() != expected)
            {
                http.Response.StatusCode = 401;
                return;
            }

            if (!server.Pages.TryGetValue($"/Fleet/{page}", out var body))
            {
                http.Response.StatusCode = 404;
                return;
            }

            http.Response.ContentType = "application/xml";
            await http.Response.WriteAsync(body);
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
