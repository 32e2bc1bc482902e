using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Millwright.Storage;

/// <summary>The embedded default: one SQLite file in WAL mode, foreign keys enforced on every connection.</summary>
public sealed class SqliteDatabase : SqlDatabase
{
    private readonly string _connectionString;
    private readonly WriterTurns _turns;

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _turns = WriterTurns.For(Path);
    }

    public string Path { get; }

    public override string Provider => "sqlite";

    public override string Describe() => Path;

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragmas = connection.CreateCommand();
        // WAL lets readers run beside the writer; busy_timeout makes a second writer wait instead of failing.
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public override ValueTask<IDisposable?> WriterTurnAsync(CancellationToken cancellationToken = default) => _turns.WaitAsync(cancellationToken);

    public override ConstraintKind Classify(DbException exception) => exception switch
    {
        // Extended result codes, https://www.sqlite.org/rescode.html
        SqliteException { SqliteExtendedErrorCode: 2067 or 1555 } => ConstraintKind.Unique,
        SqliteException { SqliteExtendedErrorCode: 787 } => ConstraintKind.ForeignKey,
        SqliteException { SqliteExtendedErrorCode: 275 } => ConstraintKind.Check,
        _ => ConstraintKind.None,
    };
}
