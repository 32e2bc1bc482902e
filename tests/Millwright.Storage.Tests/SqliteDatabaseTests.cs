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
}
