using System.Data.Common;

namespace Millwright.Storage.TimeSeries;

/// <summary>Reads ts_chunks. Chunks of a series never overlap and never cross an aligned hour.</summary>
internal static class ChunkReader
{
    // start_ts >= the hour of `from` bounds the index range: a chunk reaching `from` cannot start in an earlier hour.
    private const string RangeSql =
        "SELECT body FROM ts_chunks WHERE series_id = @s AND start_ts >= @h AND start_ts < @to AND end_ts >= @from ORDER BY start_ts";

    private const string BeforeSql =
        "SELECT body FROM ts_chunks WHERE series_id = @s AND start_ts < @before ORDER BY start_ts DESC LIMIT 1";

    /// <summary>The points in [from, to), at most about <paramref name="limit"/> (whole chunks are read).</summary>
    public static async Task<PointBuffer> ReadAsync(
        DbConnection connection, DbTransaction? transaction, SeriesState series, long from, long to, long limit = long.MaxValue, CancellationToken cancellationToken = default)
    {
        var result = new PointBuffer(series.Kind == SeriesKind.Text);
        if (from >= to)
        {
            return result;
        }

        await using var command = Command(connection, transaction, RangeSql, ("@s", series.Id), ("@h", RollupMath.AlignDown(from, RollupMath.Hour)), ("@to", to), ("@from", from));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var decoded = new PointBuffer(result.IsText);
        while (result.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            decoded.Clear();
            ChunkCodec.Decode(series.Kind, (byte[])reader[0], decoded.Times, decoded.Numbers, decoded.Texts);
            int start = decoded.LowerBound(from), end = decoded.LowerBound(to);
            result.Times.AddRange(decoded.Times.GetRange(start, end - start));
            if (result.IsText)
            {
                result.Texts.AddRange(decoded.Texts.GetRange(start, end - start));
            }
            else
            {
                result.Numbers.AddRange(decoded.Numbers.GetRange(start, end - start));
            }
        }

        return result;
    }

    /// <summary>The newest chunked point before a time, if any.</summary>
    public static async Task<TimePoint?> LastBeforeAsync(DbConnection connection, DbTransaction? transaction, SeriesState series, long before, CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection, transaction, BeforeSql, ("@s", series.Id), ("@before", before));
        if (await command.ExecuteScalarAsync(cancellationToken) is not byte[] body)
        {
            return null;
        }

        var decoded = new PointBuffer(series.Kind == SeriesKind.Text);
        ChunkCodec.Decode(series.Kind, body, decoded.Times, decoded.Numbers, decoded.Texts);
        var index = decoded.LowerBound(before) - 1;
        return index >= 0 ? decoded[index] : null;
    }

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
