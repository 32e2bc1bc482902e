using System.Net;
using System.Net.Sockets;

namespace Millwright.Security;

/// <summary>
/// The address classes the platform refuses to connect to unless the operator opens them: a tenant's Modbus host
/// or webhook URL must not turn the platform into a way into its own host, its network or the cloud's metadata
/// service (SSRF). Metadata addresses come first, so that a refusal names the most telling class.
/// </summary>
internal static class EgressRanges
{
    private static readonly (IPNetwork Network, string Class)[] Forbidden =
    [
        // Cloud instance metadata: AWS, GCP, Azure, OpenStack; AWS over IPv6; Alibaba Cloud.
        (IPNetwork.Parse("169.254.169.254/32"), "cloud metadata"),
        (IPNetwork.Parse("fd00:ec2::254/128"), "cloud metadata"),
        (IPNetwork.Parse("100.100.100.200/32"), "cloud metadata"),
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        // RFC 1918, and IPv6 unique local (RFC 4193) and the deprecated site-local range.
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("fc00::/7"), "private"),
        (IPNetwork.Parse("fec0::/10"), "private"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        // RFC 6598 shared address space: carrier-grade NAT, and some clouds' internal services.
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
        (IPNetwork.Parse("255.255.255.255/32"), "broadcast"),
        // RFC 1112 "future use" (240/4): never a unicast host anyone may reach.
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>The class that forbids <paramref name="address"/> by default, or null for an ordinary public address.</summary>
    public static string? ClassOf(IPAddress address)
    {
        address = Normalize(address);
        foreach (var (network, name) in Forbidden)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>
    /// The IPv4 address an IPv6 form stands for (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64
    /// 64:ff9b::/96), so that no spelling of a forbidden IPv4 address slips through; other addresses unchanged.
    /// </summary>
    public static IPAddress Normalize(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var compatible = bytes[..12].IndexOfAnyExcept((byte)0) < 0 && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && bytes[15] <= 1);
        return compatible || Nat64.Contains(address) ? new IPAddress(bytes[12..]) : address;
    }
}
