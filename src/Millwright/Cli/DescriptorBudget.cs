using System.Runtime.InteropServices;

namespace Millwright.Cli;

/// <summary>
/// Keeps the broker's connection bounds inside the process's open-file limit. Every socket is a descriptor, and a
/// process that runs out cannot accept, open its store or start a thread: at 19,930 connections under a limit of
/// 20,000 the broker died ("Out of memory.") instead of refusing the next client. At start the soft limit is raised
/// to the hard one (as Go's runtime does), and the bounds are lowered, with a warning, if they still do not fit
/// beside a reserve for the store, HTTP, outbound links and the runtime.
/// </summary>
internal static class DescriptorBudget
{
    private const int NoFile = 7; // RLIMIT_NOFILE on Linux

    /// <summary>Bounds that fit <paramref name="limit"/> descriptors; null when the given ones already do.</summary>
    public static (int MaxConnections, int MaxUnauthenticated)? Fit(int maxConnections, int maxUnauthenticated, long limit)
    {
        var reserve = Math.Min(2_000, limit / 4);
        var budget = limit - reserve;
        if ((long)maxConnections + maxUnauthenticated <= budget)
        {
            return null;
        }

        var unauthenticated = (int)Math.Max(1, Math.Min(maxUnauthenticated, budget / 10));
        return ((int)Math.Max(1, budget - unauthenticated), unauthenticated);
    }

    /// <summary>The process's open-file limit after raising the soft limit to the hard one; null where it cannot be read.</summary>
    public static long? RaiseAndRead()
    {
        if (!OperatingSystem.IsLinux() || GetLimit(NoFile, out var limit) != 0)
        {
            return null;
        }

        if (limit.Current < limit.Maximum && SetLimit(NoFile, new Limit { Current = limit.Maximum, Maximum = limit.Maximum }) == 0)
        {
            limit.Current = limit.Maximum;
        }

        return (long)Math.Min(limit.Current, long.MaxValue);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Limit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", EntryPoint = "getrlimit")]
    private static extern int GetLimit(int resource, out Limit limit);

    [DllImport("libc", EntryPoint = "setrlimit")]
    private static extern int SetLimit(int resource, in Limit limit);
}
