namespace Millwright.Api;

/// <summary>
/// A counter that moves whenever a session commits an audited change, so caches of registry facts (which
/// tags a machine's type has) can tell they are stale without asking the database on every message.
/// </summary>
internal sealed class RegistryChanges
{
    private long _generation;

    public long Generation => Volatile.Read(ref _generation);

    public void Bump() => Interlocked.Increment(ref _generation);
}
