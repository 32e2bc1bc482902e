using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Millwright.Security;

/// <summary>
/// One opening in the egress policy, as the platform operator writes it: <c>[TENANT=]CIDR[:PORT[-PORT]]</c>, an
/// IPv6 network in brackets (<c>acme=[fd00::]/8:502</c>). Without a tenant slug it holds for every tenant; without
/// ports, for every port. A bare address is a network of that one address.
/// </summary>
internal sealed partial record EgressRule(string? Tenant, IPNetwork Network, int FirstPort, int LastPort)
{
    public bool Covers(IPAddress address, int port) =>
        port >= FirstPort && port <= LastPort && Network.BaseAddress.AddressFamily == address.AddressFamily && Network.Contains(address);

    public override string ToString()
    {
        var network = Network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{Network.BaseAddress}]/{Network.PrefixLength}"
            : Network.ToString();
        var ports = (FirstPort, LastPort) switch
        {
            (1, 65535) => "",
            var (a, b) when a == b => $":{a}",
            var (a, b) => $":{a}-{b}",
        };
        return (Tenant is null ? "" : Tenant + "=") + network + ports;
    }

    /// <summary>Parses one rule; returns a message saying what is wrong, or null.</summary>
    public static string? TryParse(string text, out EgressRule rule)
    {
        rule = new EgressRule(null, new IPNetwork(IPAddress.None, 32), 0, -1);
        var rest = text.Trim();
        string? tenant = null;
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
        {
            tenant = rest[..equals];
            rest = rest[(equals + 1)..];
            if (!SlugPattern().IsMatch(tenant))
            {
                return $"'{text}': '{tenant}' is not a tenant slug (a-z, 0-9, '-' and '_')";
            }
        }

        string network;
        string? ports = null;
        if (rest.StartsWith('['))
        {
            // [v6]/len:ports, [v6]:ports, [v6]/len, [v6]
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return $"'{text}': an IPv6 network needs its closing ']'";
            }

            var after = rest[(close + 1)..];
            var colon = after.IndexOf(':', StringComparison.Ordinal);
            network = rest[1..close] + (colon < 0 ? after : after[..colon]);
            ports = colon < 0 ? null : after[(colon + 1)..];
        }
        else if (rest.Count(c => c == ':') > 1)
        {
            return $"'{text}': write an IPv6 network in brackets, e.g. [fd00::]/8:502";
        }
        else
        {
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            network = colon < 0 ? rest : rest[..colon];
            ports = colon < 0 ? null : rest[(colon + 1)..];
        }

        IPNetwork parsed;
        if (IPAddress.TryParse(network, out var single) && !network.Contains('/', StringComparison.Ordinal))
        {
            parsed = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }
        else if (!IPNetwork.TryParse(network, out parsed))
        {
            return $"'{text}': '{network}' is not an IP address or a CIDR network such as 10.0.0.0/8";
        }

        var (first, last) = (1, 65535);
        if (ports is not null)
        {
            var dash = ports.IndexOf('-', StringComparison.Ordinal);
            var firstText = dash < 0 ? ports : ports[..dash];
            var lastText = dash < 0 ? ports : ports[(dash + 1)..];
            if (!int.TryParse(firstText, NumberStyles.None, CultureInfo.InvariantCulture, out first)
                || !int.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out last)
                || first is < 1 or > 65535 || last is < 1 or > 65535 || first > last)
            {
                return $"'{text}': '{ports}' is not a port or a port range such as 502 or 5020-5029 (1-65535, low to high)";
            }
        }

        rule = new EgressRule(tenant, parsed, first, last);
        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex SlugPattern();
}
