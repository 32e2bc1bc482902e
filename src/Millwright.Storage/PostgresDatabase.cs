using System.Data.Common;
using Npgsql;

namespace Millwright.Storage;

/// <summary>PostgreSQL for installations that outgrow one file or run several nodes.</summary>
public sealed class PostgresDatabase : SqlDatabase
{
    // Any constant shared by every Millwright node; pg_advisory_xact_lock serialises concurrent migrators.
    private const long MigrationLockKey = 0x4d696c6c77;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _description;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _description = $"{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public override string Provider => "postgres";

    public override string Describe() => _description;

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override ConstraintKind Classify(DbException exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => ConstraintKind.Unique,
        PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } => ConstraintKind.ForeignKey,
        PostgresException { SqlState: PostgresErrorCodes.CheckViolation } => ConstraintKind.Check,
        _ => ConstraintKind.None,
    };

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
