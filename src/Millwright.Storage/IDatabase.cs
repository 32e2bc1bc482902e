using System.Data.Common;

namespace Millwright.Storage;

/// <summary>
/// The one storage seam: an open connection with the schema in place, and a way to tell
/// constraint violations apart. SQL above it is written once, in the dialect both engines share.
/// </summary>
public interface IDatabase : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Provider { get; }

    /// <summary>A human-readable location (file path or host/database), never a password.</summary>
    string Describe();

    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies every embedded migration not applied yet, each in its own transaction.</summary>
    Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default);

    ConstraintKind Classify(DbException exception);

    /// <summary>
    /// Waits for this process's turn to hold the engine's one write lock, where it has one (SQLite): the turn is
    /// taken before a write transaction begins and disposed after it ends. Null where the engine locks rows and
    /// needs no turn (PostgreSQL).
    /// </summary>
    ValueTask<IDisposable?> WriterTurnAsync(CancellationToken cancellationToken = default);
}
