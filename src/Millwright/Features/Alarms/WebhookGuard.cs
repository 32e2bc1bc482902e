using System.Net;
using Millwright.Security;

namespace Millwright.Features.Alarms;

/// <summary>
/// Where webhooks may go. Webhook URLs are tenant input, so the platform must not become a way into its own
/// network: the URL's shape is checked when it is saved, a literal address against the platform's
/// <see cref="EgressPolicy"/> too, and every delivery connects through the policy (names resolved once, the
/// connection made to the checked address, which defeats DNS rebinding).
/// </summary>
internal sealed class WebhookGuard(EgressPolicy egress)
{
    /// <summary>Why <paramref name="url"/> is not a usable webhook URL (scheme, length, credentials), or null.</summary>
    public static string? RefuseShape(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "must be an absolute http or https URL of at most 2000 characters";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"scheme '{uri.Scheme}' is not allowed; use http or https";
        }

        return uri.UserInfo.Length > 0 ? "must not carry credentials; the signature header authenticates the platform" : null;
    }

    /// <summary>Why the tenant may not send to a well-shaped <paramref name="url"/>'s literal address, or null (names are checked at delivery).</summary>
    public Task<string?> RefuseAddressAsync(long tenant, string url, CancellationToken cancellationToken)
    {
        var uri = new Uri(url);
        return egress.RefuseHostAsync(tenant, uri.IdnHost, uri.Port, cancellationToken);
    }

    /// <summary>A connection for a delivery of <paramref name="tenant"/> to a checked address of host:port.</summary>
    public Task<System.Net.Sockets.Socket> ConnectAsync(long tenant, DnsEndPoint endPoint, CancellationToken cancellationToken) =>
        egress.ConnectAsync(tenant, endPoint.Host, endPoint.Port, cancellationToken);

    /// <summary>An HTTP client for the tenant's deliveries: no redirects, no proxy, every connection through the egress policy.</summary>
    public HttpClient CreateClient(long tenant) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) => new System.Net.Sockets.NetworkStream(await ConnectAsync(tenant, context.DnsEndPoint, ct), ownsSocket: true),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// The error recorded for the tenant. HttpClient's own messages may quote the receiver's bytes (an invalid status
    /// line is echoed), which would let a tenant read another service through webhooks, so only the kind is kept.
    /// </summary>
    public static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is EgressDeniedException denied)
            {
                return "EgressDenied: " + denied.Message;
            }
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the host name did not resolve",
            HttpRequestError.ConnectionError => "could not connect",
            HttpRequestError.SecureConnectionError => "the TLS handshake failed",
            HttpRequestError.InvalidResponse => "not an HTTP server (its answer is not a valid HTTP response)",
            HttpRequestError.ResponseEnded => "the connection closed before a complete response",
            HttpRequestError.ProxyTunnelError => "the proxy tunnel failed",
            _ => "the request failed (" + e.HttpRequestError + ")",
        };
    }
}
