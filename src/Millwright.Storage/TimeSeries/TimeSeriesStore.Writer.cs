using System.Diagnostics;

namespace Millwright.Storage.TimeSeries;

public sealed partial class TimeSeriesStore
{
    /// <summary>Takes the writer lock for <paramref name="work"/> (append, slice, checkpoint, retention), timing the wait and the hold.</summary>
    private async ValueTask<WriterHold> HoldWriterAsync(string work, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await _writer.WaitAsync(cancellationToken);
        var held = Stopwatch.GetTimestamp();
        WriterWait.Record(Stopwatch.GetElapsedTime(started, held).TotalMilliseconds, new KeyValuePair<string, object?>("work", work));
        return new WriterHold(_writer, work, held);
    }

    /// <summary>SQLite's write turn for a store transaction (null elsewhere), timing the wait behind other components' transactions.</summary>
    private async ValueTask<IDisposable?> TurnAsync(string work, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var turn = await _database.WriterTurnAsync(cancellationToken);
        TurnWait.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("work", work));
        return turn;
    }

    private readonly struct WriterHold(SemaphoreSlim writer, string work, long since) : IDisposable
    {
        public void Dispose()
        {
            WriterHeld.Record(Stopwatch.GetElapsedTime(since).TotalMilliseconds, new KeyValuePair<string, object?>("work", work));
            writer.Release();
        }
    }
}
