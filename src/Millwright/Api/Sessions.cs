using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Api;

/// <summary>Opens a <see cref="Session"/> per unit of work; registered once, shared by every endpoint.</summary>
internal sealed class Sessions(IDatabase database, TimeProvider clock, RegistryChanges? changes = null, AccessChanges? access = null, QuotaOptions? quotas = null)
{
    /// <summary>The same sessions on another clock: what a history written at simulated times runs on.</summary>
    public Sessions WithClock(TimeProvider other) => new(database, other, changes, access, quotas);

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it when it returns without throwing.</summary>
    public async Task<T> RunAsync<T>(Caller caller, Func<Session, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using var session = await Session.BeginAsync(database, caller, clock, cancellationToken);
        session.Quotas = quotas ?? QuotaOptions.Default;
        var result = await work(session);
        await session.CommitAsync(cancellationToken);
        if (session.Changed)
        {
            changes?.Bump();
        }

        // After the commit, so that a listener re-checking the store sees the change.
        access?.Raise(session.AccessChanges);

        return result;
    }
}
