using System.Net;
using System.Net.Sockets;
using Millwright.Security;

namespace Millwright.Tests.Harness;

/// <summary>A resolver with a fixed table, so a test can make a name point at any address without DNS; other names do not exist.</summary>
internal sealed class FakeResolver(Dictionary<string, string[]> names) : IEgressResolver
{
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        return names.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses.Select(IPAddress.Parse).ToArray())
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
