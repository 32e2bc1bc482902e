namespace Millwright.Features.Telemetry;

/// <summary>
/// The tenants whose values the writer committed lately. A steady sender's lane is empty most of the time (it
/// sends ten messages a second, the writer commits a hundred times), so who is queued right now does not tell
/// whether a long commit would keep someone waiting; who sent within the last <see cref="Window"/> does.
/// Used by the writer alone.
/// </summary>
internal sealed class RecentSenders(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Dictionary<long, long> _lastSeen = [];

    /// <summary>Notes that the tenant's values are being committed now.</summary>
    public void Sent(long tenantId) => _lastSeen[tenantId] = clock.GetTimestamp();

    /// <summary>Whether more than one tenant sent within the window; forgets those that did not.</summary>
    public bool Several()
    {
        var now = clock.GetTimestamp();
        var recent = 0;
        List<long>? quiet = null;
        foreach (var (tenant, seen) in _lastSeen)
        {
            if (clock.GetElapsedTime(seen, now) <= Window)
            {
                recent++;
            }
            else
            {
                (quiet ??= []).Add(tenant);
            }
        }

        foreach (var tenant in quiet ?? [])
        {
            _lastSeen.Remove(tenant);
        }

        return recent > 1;
    }
}
