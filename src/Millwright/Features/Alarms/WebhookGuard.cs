using System.Net;

namespace Millwright.Features.Alarms;

/// <summary>
/// Which addresses webhooks may reach. Webhook URLs are tenant input, so the platform must not become a way into
/// its own network: checked when a URL is saved (literal addresses, schemes) and again for every address a host
/// name resolves to when a delivery connects, which also defeats DNS rebinding.
/// </summary>
internal sealed class WebhookGuard
{
    private static readonly IPNetwork[] LinkLocal = [IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("fe80::/10")];
    private readonly IPNetwork[]? _networks;
    private readonly HashSet<string>? _hosts;

    public WebhookGuard(AlarmOptions options)
    {
        if (options.WebhookAllowedHosts is not { } allowed)
        {
            return;
        }

        var networks = new List<IPNetwork>();
        _hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in allowed)
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                _hosts.Add(entry);
            }
        }

        _networks = [.. networks];
    }

    /// <summary>Why <paramref name="url"/> may not be a webhook, or null when it may.</summary>
    public string? Refuse(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "must be an absolute http or https URL of at most 2000 characters";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"scheme '{uri.Scheme}' is not allowed; use http or https";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "must not carry credentials; the signature header authenticates the platform";
        }

        if (IPAddress.TryParse(uri.IdnHost, out var address))
        {
            return Allows(null, address) ? null : $"address {address} is not allowed for webhooks on this platform";
        }

        // A name is checked against the addresses it resolves to when a delivery connects.
        return _hosts is null || _hosts.Contains(uri.IdnHost) || _networks!.Length > 0
            ? null
            : $"host '{uri.IdnHost}' is not allowed for webhooks on this platform";
    }

    /// <summary>Whether a delivery to <paramref name="host"/> may connect to <paramref name="address"/>.</summary>
    public bool Allows(string? host, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (_networks is null)
        {
            return !LinkLocal.Any(n => n.Contains(address));
        }

        return (host is not null && _hosts!.Contains(host)) || _networks.Any(n => n.Contains(address));
    }
}
