using System.Net;
using System.Net.Sockets;

namespace Millwright.Security;

/// <summary>
/// The one gate every outbound connection a tenant configures goes through (Modbus polls, webhooks, later OPC UA).
/// Public addresses are open; loopback, private, link-local, CGNAT, metadata, multicast and the like are refused
/// unless an operator rule opens them for the tenant and port. A name is resolved once and the connection goes to
/// the checked address itself, so a second, different DNS answer (rebinding) never reaches a socket.
/// </summary>
internal sealed class EgressPolicy(EgressOptions options, IEgressResolver resolver, Func<long, CancellationToken, Task<string?>> tenantSlug)
{
    public const string Hint = "the platform admin can open it with --egress-allow";

    public IReadOnlyList<EgressRule> Rules => options.Allow;

    /// <summary>Why <paramref name="tenant"/> may not reach <paramref name="address"/>:<paramref name="port"/>, or null when it may.</summary>
    public async Task<string?> RefuseAsync(long tenant, IPAddress address, int port, CancellationToken cancellationToken)
    {
        address = EgressRanges.Normalize(address);
        if (EgressRanges.ClassOf(address) is not { } forbidden)
        {
            return null;
        }

        var covering = options.Allow.Where(r => r.Covers(address, port)).ToList();
        if (covering.Any(r => r.Tenant is null))
        {
            return null;
        }

        // The slug is looked up on every check, not cached: a renamed or deleted tenant loses its openings at once.
        if (covering.Count > 0 && await tenantSlug(tenant, cancellationToken) is { } slug && covering.Any(r => r.Tenant == slug))
        {
            return null;
        }

        return $"{address} is a {forbidden} address, refused by the platform's egress policy ({Hint})";
    }

    /// <summary>
    /// Why a configured <paramref name="host"/> is refused outright (a literal forbidden address), or null. A name passes
    /// here and is checked when connecting, against what it then resolves to.
    /// </summary>
    public Task<string?> RefuseHostAsync(long tenant, string host, int port, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var address) ? RefuseAsync(tenant, address, port, cancellationToken) : Task.FromResult<string?>(null);

    /// <summary>The addresses of <paramref name="host"/> the tenant may reach, resolved once; throws <see cref="EgressDeniedException"/> when none.</summary>
    public async Task<IPAddress[]> ResolveAsync(long tenant, string host, int port, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return await RefuseAsync(tenant, literal, port, cancellationToken) is { } refusal
                ? throw new EgressDeniedException(refusal)
                : [literal];
        }

        var allowed = new List<IPAddress>();
        foreach (var address in await resolver.ResolveAsync(host, cancellationToken))
        {
            if (await RefuseAsync(tenant, address, port, cancellationToken) is null)
            {
                allowed.Add(address);
            }
        }

        // The resolved addresses are not named: they would tell a tenant what an internal name points to.
        return allowed.Count > 0
            ? [.. allowed]
            : throw new EgressDeniedException($"'{host}' resolves to no address this tenant may reach on port {port} under the platform's egress policy ({Hint})");
    }

    /// <summary>A TCP connection to a checked address of <paramref name="host"/>.</summary>
    public async Task<Socket> ConnectAsync(long tenant, string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(tenant, host, port, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
