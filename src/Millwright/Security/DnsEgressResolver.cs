using System.Net;

namespace Millwright.Security;

/// <summary>The system resolver.</summary>
internal sealed class DnsEgressResolver : IEgressResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
