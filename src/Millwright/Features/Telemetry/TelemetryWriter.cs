using Millwright.Messages;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Telemetry;

/// <summary>
/// The pipeline's one writer: turns a batch of admitted messages into time-series points and appends them in
/// one commit; after the commit, every <see cref="ITelemetryObserver"/> learns of them. Runs on the pipeline's
/// single consumer, which is what the store's one-appender rule asks for.
/// </summary>
internal sealed partial class TelemetryWriter(TelemetryStorage storage, IEnumerable<ITelemetryObserver> observers, TelemetryFlags flags, ILogger<TelemetryWriter> logger, IObserverRoute? route = null) : IDisposable
{
    private readonly List<IngestPoint> _points = [];
    private readonly List<(long, long, TelemetryFlag)> _flags = [];
    private readonly List<DeviceMessage> _committed = [];

    // Observers are called by one caller at a time: the pipeline's consumer, and in cluster mode the owner's inbox.
    private readonly SemaphoreSlim _observing = new(1, 1);

    // OrderBy is stable: observers of equal order run in registration order.
    private readonly ITelemetryObserver[] _observers = [.. observers.OrderBy(o => o.Order)];

    public ILogger Logger => logger;

    public void Dispose() => _observing.Dispose();

    /// <summary>Appends the batch in one commit; the pipeline asks the store for the checkpoint slice after the acknowledgements.</summary>
    public async Task WriteAsync(List<PendingMessage> batch, CancellationToken cancellationToken)
    {
        _points.Clear();
        _flags.Clear();
        foreach (var pending in batch)
        {
            var message = pending.Message;
            foreach (var reading in message.Readings)
            {
                var value = reading.Value;
                var tag = pending.Schema.Tag(reading.Tag);
                var kind = KindOf(tag, value);
                if ((kind == SeriesKind.Text) != (value.Kind == TagValueKind.Text) || (value.Kind == TagValueKind.Number && !double.IsFinite(value.Number)))
                {
                    // A value of the wrong data type or not finite (admitted under "flag") has no place in its
                    // series: its flag keeps it as the latest example.
                    continue;
                }

                var series = new SeriesKey(message.TenantId, message.MachineId, reading.Tag);
                _points.Add(new IngestPoint(series, kind, reading.Timestamp, value.Number, value.Text, tag?.Wrap ?? 0));
            }

            foreach (var flag in pending.Flags ?? [])
            {
                _flags.Add((message.TenantId, message.MachineId, flag));
            }
        }

        var result = await storage.Store.AppendOnlyAsync(_points, cancellationToken);
        if (result.Rejected.Count > 0)
        {
            // Admission checked these against the same bounds; only a clock step between the two gets here.
            LogRejected(logger, result.Rejected.Count, result.Rejected[0].Reason);
        }

        if (_flags.Count > 0)
        {
            // After the values: a flag names a stored value. Losing a flag count in a crash loses no data.
            await flags.RecordAsync(_flags, cancellationToken);
        }
    }

    /// <summary>
    /// Tells the observers behind storage of a committed batch, one after the other in their order (a slow one,
    /// such as the state tracker with a full queue, slows this writer down: back-pressure, not loss).
    /// </summary>
    public async ValueTask AfterCommitAsync(List<PendingMessage> batch, CancellationToken cancellationToken)
    {
        _committed.Clear();
        foreach (var pending in batch)
        {
            _committed.Add(pending.Message);
        }

        // Cluster mode: messages of machines owned by other nodes are observed there (and the call waits until they took them).
        var owned = route is null ? _committed : await route.RouteAsync(_committed, cancellationToken);
        await _observing.WaitAsync(cancellationToken);
        try
        {
            foreach (var observer in _observers)
            {
                var messages = observer.OnOwnerOnly ? owned : _committed;
                if (messages.Count > 0)
                {
                    await observer.OnCommittedAsync(messages, cancellationToken);
                }
            }
        }
        finally
        {
            _observing.Release();
        }
    }

    /// <summary>Cluster mode, on a machine's owner: the observers that evaluate per machine, for messages another node committed.</summary>
    public async ValueTask ObserveOwnedAsync(IReadOnlyList<DeviceMessage> messages, CancellationToken cancellationToken)
    {
        await _observing.WaitAsync(cancellationToken);
        try
        {
            foreach (var observer in _observers)
            {
                await observer.OnCommittedAsync(messages, cancellationToken);
            }
        }
        finally
        {
            _observing.Release();
        }
    }

    /// <summary>The series kind the type declares; a tag the type does not know is stored as what its value is.</summary>
    private static SeriesKind KindOf(MachineTypes.TagDefinition? tag, TagValue value) => tag switch
    {
        { Kind: "counter" } => SeriesKind.Counter,
        { DataType: "bool" } => SeriesKind.Boolean,
        { DataType: "string" } => SeriesKind.Text,
        { } => SeriesKind.Gauge,
        null => value.Kind switch
        {
            TagValueKind.Boolean => SeriesKind.Boolean,
            TagValueKind.Text => SeriesKind.Text,
            _ => SeriesKind.Gauge,
        },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store refused {Count} admitted points, for example: {Reason}")]
    private static partial void LogRejected(ILogger logger, int count, string reason);
}
