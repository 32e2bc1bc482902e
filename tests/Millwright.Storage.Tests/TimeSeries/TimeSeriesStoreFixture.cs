using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

/// <summary>A migrated store of one engine for one test, with helpers to open, reopen and feed a time-series store.</summary>
public abstract class TimeSeriesStoreFixture : IAsyncLifetime
{
    /// <summary>2026-11-22T00:00:00Z, an hour boundary.</summary>
    protected const long T0 = 1_763_769_600_000;

    private readonly List<IDatabase> _databases = [];
    private StoreFixture? _store;

    internal ManualClock Clock { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(T0 + (6 * 3_600_000)));

    protected TimeSeriesOptions Options { get; set; } = new();

    protected abstract Task<StoreFixture> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await Database().MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected IDatabase Database()
    {
        var database = (_store ?? throw new InvalidOperationException("not initialised")).OpenAnother();
        _databases.Add(database);
        return database;
    }

    protected Task<TimeSeriesStore> OpenAsync() => TimeSeriesStore.OpenAsync(Database(), Options, Clock);

    protected static IngestPoint Gauge(SeriesKey key, long time, double value) => new(key, SeriesKind.Gauge, time, value);

    protected static IngestPoint Counter(SeriesKey key, long time, double value, double wrap = 0) => new(key, SeriesKind.Counter, time, value, null, wrap);

    protected static IngestPoint Text(SeriesKey key, long time, string value) => new(key, SeriesKind.Text, time, 0, value);

    protected async Task<long> CountAsync(string sql)
    {
        await using var connection = await Database().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
