using System.Data.Common;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Runs many small writes inside one transaction as cheaply as the engine allows: on PostgreSQL they travel in
/// DbBatch round trips of up to <see cref="BatchSize"/> statements; SQLite runs in-process, so each statement
/// executes at once through a command prepared once per SQL text. Parameters are named @p0, @p1, ...
/// </summary>
internal sealed class StatementBatch(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private const int BatchSize = 1000;
    private static readonly string[] Names = [.. Enumerable.Range(0, 16).Select(i => "@p" + i)];
    private readonly Dictionary<string, DbCommand> _prepared = [];
    private DbBatch? _batch;

    public int Executed { get; private set; }

    public async Task AddAsync(string sql, params object?[] values)
    {
        if (connection.CanCreateBatch)
        {
            _batch ??= CreateBatch();
            var command = _batch.CreateBatchCommand();
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = Names[i];
                parameter.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            _batch.BatchCommands.Add(command);
            if (_batch.BatchCommands.Count >= BatchSize)
            {
                await FlushAsync();
            }

            return;
        }

        if (!_prepared.TryGetValue(sql, out var prepared))
        {
            prepared = connection.CreateCommand();
            prepared.Transaction = transaction;
            prepared.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = prepared.CreateParameter();
                parameter.ParameterName = Names[i];
                prepared.Parameters.Add(parameter);
            }

            _prepared.Add(sql, prepared);
        }

        for (var i = 0; i < values.Length; i++)
        {
            prepared.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        await prepared.ExecuteNonQueryAsync();
        Executed++;
    }

    public async Task FlushAsync()
    {
        if (_batch is { BatchCommands.Count: > 0 } batch)
        {
            await batch.ExecuteNonQueryAsync();
            Executed += batch.BatchCommands.Count;
            await batch.DisposeAsync();
            _batch = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_batch is not null)
        {
            await _batch.DisposeAsync();
        }

        foreach (var command in _prepared.Values)
        {
            await command.DisposeAsync();
        }
    }

    private DbBatch CreateBatch()
    {
        var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        return batch;
    }
}
