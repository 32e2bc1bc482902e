using Millwright.Testing;

namespace Millwright.Storage.Tests;

/// <summary>A fresh, empty store of one engine for one test; <see cref="OpenAnother"/> opens a second handle on it.</summary>
public abstract class StoreFixture : IAsyncDisposable
{
    public abstract IDatabase OpenAnother();

    public abstract ValueTask DisposeAsync();

    public static StoreFixture CreateSqlite() => new SqliteStore();

    public static async Task<StoreFixture> CreatePostgresAsync() => new PostgresStore(await TestPostgres.CreateDatabaseAsync());

    private sealed class SqliteStore : StoreFixture
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("mw-storage-").FullName;

        public override IDatabase OpenAnother() => new SqliteDatabase(Path.Combine(_directory, "millwright.db"));

        public override ValueTask DisposeAsync()
        {
            // Pooled SQLite connections keep the file open; release them before deleting it.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
            GC.SuppressFinalize(this);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgresStore(TestPostgresDatabase database) : StoreFixture
    {
        public override IDatabase OpenAnother() => new PostgresDatabase(database.ConnectionString);

        public override async ValueTask DisposeAsync()
        {
            await database.DisposeAsync();
            GC.SuppressFinalize(this);
        }
    }
}
