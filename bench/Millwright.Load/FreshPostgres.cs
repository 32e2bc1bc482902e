using System.Globalization;
using Npgsql;

namespace Millwright.Bench;

/// <summary>A new, empty database on the server the connection string names, dropped when the bench ends.</summary>
internal sealed class FreshPostgres : IAsyncDisposable
{
    private readonly string _maintenance;
    private readonly string _name;

    private FreshPostgres(string maintenance, string name, string connectionString)
    {
        _maintenance = maintenance;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<FreshPostgres> CreateAsync(string connectionString, CancellationToken ct)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"mw_bench_{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        return new FreshPostgres(connectionString, name, new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_maintenance);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
