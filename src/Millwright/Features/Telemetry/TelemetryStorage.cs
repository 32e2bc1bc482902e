using Millwright.Messages;
using Millwright.Storage;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Telemetry;

/// <summary>
/// Owns the time-series store for the host's lifetime. Started before the pipeline and the transports (hosted
/// services start in registration order): opening replays the ingest log, so every point acknowledged before a
/// crash is back, and the twin is rebuilt from the store before the first new value arrives. Stopped after them,
/// with a last checkpoint.
/// </summary>
internal sealed class TelemetryStorage(IDatabase database, TelemetryOptions options, LatestValues latest, TimeProvider clock) : IHostedService, IAsyncDisposable
{
    private TimeSeriesStore? _store;

    public TimeSeriesStore Store => _store ?? throw new InvalidOperationException("the time-series store is not open yet");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _store = await TimeSeriesStore.OpenAsync(database, StoreOptions(options), clock, cancellationToken);
        latest.Restore(_store.LatestAll().Select(p => (p.Series.TenantId, p.Series.MachineId, new Reading(p.Series.Tag, p.Timestamp, ValueOf(p.Kind, p.Number, p.Text)))));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_store is not null)
        {
            await _store.CheckpointAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    public static TagValue ValueOf(SeriesKind kind, double number, string? text) => kind switch
    {
        SeriesKind.Boolean => TagValue.Of(number != 0),
        SeriesKind.Text => TagValue.Of(text ?? ""),
        _ => TagValue.Of(number),
    };

    public static TimeSeriesOptions StoreOptions(TelemetryOptions options) => new()
    {
        LateWindow = options.LateWindow,
        FutureTolerance = options.FutureTolerance,
    };
}
