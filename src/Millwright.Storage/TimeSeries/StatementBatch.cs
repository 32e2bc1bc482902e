using System.Data.Common;

namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Runs many small writes inside one transaction as cheaply as the engine allows. On PostgreSQL, statements
/// travel in one DbBatch per flush and rows of one <see cref="RowStatement"/> are sent as multi-row INSERTs,
/// which PostgreSQL plans once per statement instead of once per row. SQLite runs in-process: each statement
/// executes at once through a command prepared once per SQL text. Plain statements keep their order; buffered
/// rows follow the plain statements added before the flush, which is all the store needs (deletes of an hour's
/// old chunks before the inserts of its new one).
/// </summary>
internal sealed class StatementBatch(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    public const int RowsPerStatement = 400;
    private static readonly string[] Names = [.. Enumerable.Range(0, 16).Select(i => "@p" + i)];
    private readonly Dictionary<string, DbCommand> _prepared = [];
    private readonly Dictionary<RowStatement, List<object?>> _rows = [];
    private DbBatch? _batch;

    /// <summary>A statement with parameters @p0, @p1, ...</summary>
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
    }

    public async Task AddRowAsync(RowStatement statement, params object?[] values)
    {
        if (!connection.CanCreateBatch)
        {
            await AddAsync(statement.Single, values);
            return;
        }

        if (!_rows.TryGetValue(statement, out var rows))
        {
            _rows[statement] = rows = new List<object?>(statement.Columns * RowsPerStatement);
        }

        rows.AddRange(values);
        if (rows.Count >= statement.Columns * RowsPerStatement)
        {
            MoveRows(statement, rows);
        }
    }

    /// <summary>Sends everything added so far; reads after it see these writes.</summary>
    public async Task FlushAsync()
    {
        foreach (var (statement, rows) in _rows)
        {
            MoveRows(statement, rows);
        }

        if (_batch is { BatchCommands.Count: > 0 } batch)
        {
            await batch.ExecuteNonQueryAsync();
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

    private void MoveRows(RowStatement statement, List<object?> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        _batch ??= CreateBatch();
        var command = _batch.CreateBatchCommand();
        command.CommandText = statement.Multi(rows.Count / statement.Columns);
        foreach (var value in rows)
        {
            var parameter = command.CreateParameter();
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        _batch.BatchCommands.Add(command);
        rows.Clear();
    }

    private DbBatch CreateBatch()
    {
        var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        return batch;
    }
}
