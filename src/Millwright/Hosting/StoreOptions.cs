using Millwright.Storage;

namespace Millwright.Hosting;

/// <summary>Where state lives: SQLite under <see cref="DataDirectory"/> unless a PostgreSQL connection string is given.</summary>
internal sealed record StoreOptions(string DataDirectory, string? PostgresConnectionString)
{
    public const string SqliteFileName = "millwright.db";

    /// <summary>Opens the store and brings its schema up to date; a store that cannot be reached is a <see cref="StoreUnavailableException"/>.</summary>
    public async Task<IDatabase> OpenAsync(CancellationToken cancellationToken = default)
    {
        IDatabase database;
        try
        {
            if (PostgresConnectionString is null)
            {
                OwnerOnly.CreateDirectory(DataDirectory);
                var file = Path.Combine(DataDirectory, SqliteFileName);
                OwnerOnly.CreateFile(file);
                database = new SqliteDatabase(file);
            }
            else
            {
                database = new PostgresDatabase(PostgresConnectionString);
            }
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or FormatException)
        {
            throw new StoreUnavailableException($"Cannot use the store: {e.Message}", e);
        }

        try
        {
            await database.MigrateAsync(cancellationToken);
            return database;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException or IOException or InvalidOperationException)
        {
            await database.DisposeAsync();
            throw new StoreUnavailableException($"Cannot open the {database.Provider} store at {database.Describe()}: {e.Message}", e);
        }
    }
}
