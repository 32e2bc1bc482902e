using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.Telemetry;
using Millwright.Hosting;
using Millwright.Messages;
using Millwright.Storage;

namespace Millwright.Benchmarks;

/// <summary>
/// What the alarm engine adds to each applied telemetry message on the pipeline's single consumer: one tenant of
/// 1,000 machines of one type with five type rules (two thresholds, a rate, a duration, a state rule), and a
/// message of ten readings of which five are watched, none crossing a limit (the steady state).
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet calls GlobalCleanup, which disposes the engine")]
public class AlarmEngineBenchmarks
{
    private const int Machines = 1_000;
    private string _directory = "";
    private IDatabase _database = null!;
    private AlarmEngine _engine = null!;
    private DeviceMessage _watched = null!;
    private DeviceMessage _otherTenant = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("mw-alarm-bench-").FullName;
        _database = await new StoreOptions(_directory, null).OpenAsync();
        long tenant, firstMachine;
        await using (var c = await _database.OpenAsync())
        {
            tenant = await c.ExecuteScalarAsync<long>("INSERT INTO tenants (slug, name, created_at, updated_at) VALUES ('bench', 'Bench', 0, 0) RETURNING id");
            var site = await c.ExecuteScalarAsync<long>("INSERT INTO sites (tenant_id, name, time_zone, created_at, updated_at) VALUES (@tenant, 's', 'UTC', 0, 0) RETURNING id", new { tenant });
            var area = await c.ExecuteScalarAsync<long>("INSERT INTO areas (tenant_id, site_id, name, created_at, updated_at) VALUES (@tenant, @site, 'a', 0, 0) RETURNING id", new { tenant, site });
            var line = await c.ExecuteScalarAsync<long>("INSERT INTO lines (tenant_id, area_id, name, created_at, updated_at) VALUES (@tenant, @area, 'l', 0, 0) RETURNING id", new { tenant, area });
            var type = await c.ExecuteScalarAsync<long>("INSERT INTO machine_types (tenant_id, name, tags, created_at, updated_at) VALUES (@tenant, 't', '[]', 0, 0) RETURNING id", new { tenant });
            await using var tx = await c.BeginTransactionAsync();
            for (var i = 0; i < Machines; i++)
            {
                await c.ExecuteAsync("INSERT INTO machines (tenant_id, line_id, type_id, name, created_at, updated_at) VALUES (@tenant, @line, @type, @name, 0, 0)",
                    new { tenant, line, type, name = $"m{i}" }, tx);
            }

            foreach (var (name, kind, tag, direction, limit, duration, state) in new (string, string, string, string?, double?, int?, string?)[]
            {
                ("hot", "threshold", "temp", "high", 80, null, null), ("cold", "threshold", "temp", "low", 5, null, null),
                ("fast", "rate", "pressure", null, 50, null, null), ("load", "duration", "load", "high", 95, 30, null),
                ("down", "state", "state", null, null, null, "down"),
            })
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO alarm_rules (tenant_id, name, machine_type_id, tag, kind, direction, limit_value, deadband, duration_s, state_value, severity, message, enabled, created_at, updated_at)
                    VALUES (@tenant, @name, @type, @tag, @kind, @direction, @limit, 0, @duration, @state, 'high', '{machine} {value}', TRUE, 0, 0)
                    """,
                    new { tenant, name, type, tag, kind, direction, limit, duration, state }, tx);
            }

            await tx.CommitAsync();
            firstMachine = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM machines WHERE tenant_id = @tenant", new { tenant });
        }

        var clock = TimeProvider.System;
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var writer = new AlarmWriter(_database, new Sessions(_database, clock), new AlarmEvents(), clock, meters, NullLogger<AlarmWriter>.Instance);
        _engine = new AlarmEngine(_database, writer, clock, NullLogger<AlarmEngine>.Instance);
        await _engine.ReloadAsync(tenant);

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Reading[] readings =
        [
            new("temp", now, TagValue.Of(42.5)), new("pressure", now, TagValue.Of(6.1)), new("load", now, TagValue.Of(61)),
            new("state", now, TagValue.Of("running")), new("spindle_speed", now, TagValue.Of(12000)), new("feed", now, TagValue.Of(100)),
            new("program", now, TagValue.Of("O1234")), new("power", now, TagValue.Of(11.2)), new("parts", now, TagValue.Of(1234)),
            new("door_open", now, TagValue.Of(false)),
        ];
        _watched = new DeviceMessage(tenant, firstMachine + 500, "bench", DateTimeOffset.UtcNow, readings);
        _otherTenant = _watched with { TenantId = tenant + 1 };
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _engine.Dispose();
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "10 readings, 5 watched by rules")]
    public void Watched() => _engine.Observe(_watched);

    [Benchmark(Baseline = true, Description = "10 readings, tenant without rules")]
    public void Unwatched() => _engine.Observe(_otherTenant);
}
