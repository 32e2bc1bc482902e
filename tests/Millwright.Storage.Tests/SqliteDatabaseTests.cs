using Dapper;

namespace Millwright.Storage.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mw-sqlite-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Migrating_creates_the_database_file_at_the_given_path()
    {
        var path = Path.Combine(_directory, "millwright.db");
        await using var database = new SqliteDatabase(path);

        await database.MigrateAsync();

        Assert.True(File.Exists(path));
        Assert.Equal(path, database.Path);
        Assert.Equal(path, database.Describe());
    }

    [Fact]
    public async Task Every_connection_enforces_foreign_keys_and_uses_the_write_ahead_log()
    {
        await using var database = new SqliteDatabase(Path.Combine(_directory, "millwright.db"));
        await using var connection = await database.OpenAsync();

        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task A_writer_waiting_for_its_turn_goes_next_even_when_another_begins_again_right_after_each_commit()
    {
        var path = Path.Combine(_directory, "millwright.db");
        await using var database = new SqliteDatabase(path);
        await using (var setup = await database.OpenAsync())
        {
            await setup.ExecuteAsync("CREATE TABLE writes (id INTEGER PRIMARY KEY, who TEXT NOT NULL)");
        }

        // A sweep: 100 transactions back to back, each holding the lock a little while.
        var sweepStarted = new TaskCompletionSource();
        var sweep = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await WriteAsync(database, "sweep", hold: TimeSpan.FromMilliseconds(5));
                if (i == 2)
                {
                    sweepStarted.SetResult();
                }
            }
        });

        await sweepStarted.Task;
        // Another database object on the same file shares the turns: the telemetry writer has its own.
        await using var writer = new SqliteDatabase(path);
        await WriteAsync(writer, "writer", hold: TimeSpan.Zero);
        await sweep;

        await using var connection = await database.OpenAsync();
        var order = (await connection.QueryAsync<string>("SELECT who FROM writes ORDER BY id")).ToList();
        var position = order.IndexOf("writer");
        // It asked after the sweep's third write, while the fourth or fifth held the lock, and went right after it.
        Assert.InRange(position, 3, 5);

        static async Task WriteAsync(SqliteDatabase database, string who, TimeSpan hold)
        {
            using var turn = await database.WriterTurnAsync();
            Assert.NotNull(turn);
            await using var connection = await database.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("INSERT INTO writes (who) VALUES (@who)", new { who }, transaction);
            await Task.Delay(hold);
            await transaction.CommitAsync();
        }
    }
}
