using System.Data.Common;
using System.Reflection;
using Dapper;

namespace Millwright.Storage;

/// <summary>Shared migration runner; the engines differ only in how they connect, lock and report constraints.</summary>
public abstract class SqlDatabase : IDatabase
{
    static SqlDatabase()
    {
        // Columns are snake_case in both engines; records are PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public abstract string Provider { get; }

    public abstract string Describe();

    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    public abstract ConstraintKind Classify(DbException exception);

    public virtual ValueTask<IDisposable?> WriterTurnAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IDisposable?>(null);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Serialises migrations across processes that share one database.</summary>
    protected virtual Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = new List<string>();
        var known = Migration.Load(Provider).ToList();
        await using var connection = await OpenAsync(cancellationToken);
        // Under the migration lock too: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a
        // concurrent twin (it fails with a unique violation on pg_type), so nodes starting together would crash.
        await using (var setup = await connection.BeginTransactionAsync(cancellationToken))
        {
            await LockForMigrationAsync(connection, setup, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                transaction: setup, cancellationToken: cancellationToken));
            // Under the lock, so a migration a newer node is applying right now is either committed and seen here or not begun.
            var unknown = (await connection.QueryAsync<(long Version, string Name)>(new CommandDefinition(
                    "SELECT version, name FROM schema_migrations ORDER BY version", transaction: setup, cancellationToken: cancellationToken)))
                .Where(row => known.All(m => m.Version != row.Version))
                .Select(row => row.Name)
                .ToList();
            if (unknown.Count > 0)
            {
                throw new SchemaTooNewException(unknown);
            }

            await setup.CommitAsync(cancellationToken);
        }

        foreach (var migration in known)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockForMigrationAsync(connection, transaction, cancellationToken);
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @Version", new { migration.Version }, transaction, cancellationToken: cancellationToken));
            if (done > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            applied.Add(migration.Name);
        }

        return applied;
    }

    private sealed record Migration(long Version, string Name, string Sql)
    {
        /// <summary>Embedded files named migrations/{provider}/NNNN_name.sql, in version order.</summary>
        public static IEnumerable<Migration> Load(string provider)
        {
            var assembly = Assembly.GetExecutingAssembly();
            var prefix = $"migrations/{provider}/";
            return assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                .Select(n =>
                {
                    var name = n[prefix.Length..^4];
                    var version = long.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
                    using var stream = assembly.GetManifestResourceStream(n)!;
                    using var reader = new StreamReader(stream);
                    return new Migration(version, name, reader.ReadToEnd());
                })
                .OrderBy(m => m.Version);
        }
    }
}
