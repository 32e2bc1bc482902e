using System.Globalization;
using Npgsql;

namespace Millwright.Testing;

/// <summary>
/// The PostgreSQL server test.sh starts, named by MILLWRIGHT_TEST_POSTGRES (a maintenance database, user
/// postgres). Each caller gets a database of its own, dropped afterwards. Without the server the tests
/// fail with a message saying why: a skipped PostgreSQL test would let a broken store pass CI.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "MILLWRIGHT_TEST_POSTGRES";

    public static string MaintenanceConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL tests cannot run. Run ./test.sh, which starts a private PostgreSQL, " +
                $"or set {Variable} to an Npgsql connection string of a maintenance database (user postgres)." +
                (Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: PostgreSQL is required.)" : ""));

    public static async Task<TestPostgresDatabase> CreateDatabaseAsync()
    {
        var maintenance = MaintenanceConnectionString;
        var name = "mw_test_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            await using var connection = new NpgsqlConnection(maintenance);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            throw new InvalidOperationException($"Cannot create a test database on the PostgreSQL named by {Variable} ({Describe(maintenance)}): {e.Message}", e);
        }

        var builder = new NpgsqlConnectionStringBuilder(maintenance) { Database = name };
        return new TestPostgresDatabase(maintenance, name, builder.ConnectionString);
    }

    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}/{builder.Database}");
    }
}
