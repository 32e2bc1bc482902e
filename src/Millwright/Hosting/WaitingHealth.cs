using System.Net;

namespace Millwright.Hosting;

/// <summary>
/// What a cluster node's HTTP listener answers while the node waits for its PostgreSQL at start: <c>/health</c> is
/// 503 "Store unavailable" with the last reason and the attempt, so an orchestrator or operator sees why the node is
/// not up yet; every other path is 503 too. Stopped (and the port freed) once the store opened, before the platform
/// itself listens there.
/// </summary>
internal sealed class WaitingHealth : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile string _problem = "connecting";

    private WaitingHealth(WebApplication app) => _app = app;

    /// <summary>Listens on <paramref name="endpoint"/>; null when it cannot (the platform reports the port itself later).</summary>
    public static async Task<WaitingHealth?> StartAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
        var app = builder.Build();
        var health = new WaitingHealth(app);
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            return context.Response.WriteAsJsonAsync(
                new { type = "about:blank", title = "Store unavailable", status = 503, detail = health._problem },
                options: null, contentType: "application/problem+json", cancellationToken: context.RequestAborted);
        });

        try
        {
            await app.StartAsync(cancellationToken);
            return health;
        }
        catch (IOException)
        {
            await app.DisposeAsync();
            return null;
        }
    }

    /// <summary>The reason the store is out of reach and the attempt, as /health shows it.</summary>
    public void Report(string problem) => _problem = problem;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
