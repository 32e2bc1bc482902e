using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Millwright.Features.Metrics;

/// <summary>
/// The optional <c>--metrics host:port</c> listener: it serves <c>/metrics</c> without a key (meant for loopback or
/// a private network a Prometheus scrapes from) and nothing else, so it never becomes a second, unauthenticated door
/// to the API. Its connections are marked when Kestrel accepts them; requests on them are recognised by that mark.
/// </summary>
internal static class MetricsListener
{
    private const string Mark = "millwright.metrics-listener";

    public static void Listen(KestrelServerOptions kestrel, System.Net.IPEndPoint endPoint) =>
        kestrel.Listen(endPoint, listen => listen.Use(next => connection =>
        {
            connection.Items[Mark] = true;
            return next(connection);
        }));

    public static bool Serves(HttpContext context) => context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(Mark) == true;
}
