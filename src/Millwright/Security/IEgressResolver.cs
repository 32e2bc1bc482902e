using System.Net;

namespace Millwright.Security;

/// <summary>Turns a host name into addresses for the egress policy; injectable so tests can make a name resolve anywhere.</summary>
internal interface IEgressResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
