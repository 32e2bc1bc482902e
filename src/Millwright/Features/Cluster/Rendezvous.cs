using System.Text;

namespace Millwright.Features.Cluster;

/// <summary>
/// Which node should own what: a machine falls into a fixed bucket, and a bucket goes to the live node with the
/// highest weight for it (rendezvous or highest-random-weight hashing). A node joining or leaving moves only
/// the buckets it wins or held, about 1/n of them, and every node computes the same answer from the same list
/// of live nodes without talking to the others. The hashes are fixed here, not string.GetHashCode, which
/// differs between processes.
/// </summary>
internal static class Rendezvous
{
    public static int BucketOf(long machineId, int buckets) => (int)(Mix((ulong)machineId) % (ulong)buckets);

    /// <summary>
    /// The bucket whose holder leads a tenant. Tenant and machine ids are numbered apart, so the tenant's id is salted:
    /// tenant 7 and machine 7 need not share a bucket.
    /// </summary>
    public static int BucketOfTenant(long tenantId, int buckets) => (int)(Mix((ulong)tenantId ^ TenantSalt) % (ulong)buckets);

    private const ulong TenantSalt = 0x7465_6E61_6E74_0000UL;

    /// <summary>The intended owner of <paramref name="bucket"/> among <paramref name="nodes"/>, or null when there is none.</summary>
    public static string? OwnerOf(int bucket, IReadOnlyList<string> nodes)
    {
        string? best = null;
        var bestWeight = 0UL;
        foreach (var node in nodes)
        {
            var weight = Weight(node, bucket);
            // Ties (astronomically rare) go to the smaller id so that every node agrees.
            if (best is null || weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(node, best) < 0))
            {
                best = node;
                bestWeight = weight;
            }
        }

        return best;
    }

    public static ulong Weight(string node, int bucket) => Mix(Fnv1a(node) ^ Mix((ulong)bucket + 0x9E3779B97F4A7C15UL));

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    // SplitMix64's finaliser: spreads neighbouring inputs (machine ids 1, 2, 3...) over the whole range.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
