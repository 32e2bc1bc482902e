namespace Millwright.Features.Telemetry;

/// <summary>
/// One counter for every change of a machine's twin (its latest values, its link state), so that a reader can ask for
/// what changed since the version it last saw (<c>GET /api/v1/latest?format=compact&amp;since=V</c>).
/// </summary>
/// <remarks>
/// A writer takes its version inside the lock that guards what it changes, and a reader reads <see cref="Now"/> before
/// it looks at any machine. A change whose version is at most the reader's <see cref="Now"/> was then taken before the
/// reader looked, under a lock the reader waits for, so the reader sees it; a later one has a larger version and is
/// in the next answer. Nothing is missed, and a change may at most be sent twice.
/// <para>The counter starts at the process's start time in microseconds, so a version from before a restart is below
/// every version after it (the twin restored at start is versioned anew, so a reader that kept one gets it all), and a
/// <c>since</c> above <see cref="Now"/> (another node's, or from a clock set back) is answered with the whole set.</para>
/// </remarks>
internal static class TwinVersion
{
    private static long s_last = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    public static long Now => Interlocked.Read(ref s_last);

    public static long Next() => Interlocked.Increment(ref s_last);
}
