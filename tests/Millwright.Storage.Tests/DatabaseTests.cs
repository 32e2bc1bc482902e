using System.Data.Common;
using Dapper;

namespace Millwright.Storage.Tests;

/// <summary>The storage contract, run once on SQLite and once on PostgreSQL, each test on a fresh store.</summary>
public abstract class DatabaseTests : IAsyncLifetime
{
    private StoreFixture? _store;
    private IDatabase? _database;

    protected abstract Task<StoreFixture> CreateStoreAsync();

    protected IDatabase Database => _database ?? throw new InvalidOperationException("not initialised");

    protected StoreFixture Store => _store ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        _database = _store.OpenAnother();
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    /// <summary>Every migration shipped, in order; a new one is added here on purpose.</summary>
    private static readonly string[] AllMigrations = ["0001_registry", "0002_modbus", "0003_timeseries", "0004_telemetry_policy", "0005_states_kpis", "0006_alarms", "0007_checkpoint_slices", "0008_production", "0009_history", "0011_embroidery", "0012_sharing", "0013_fleet", "0014_makerspace", "0015_connectivity2", "0016_plan_revisions", "0017_anomalies", "0018_connect", "0020_cluster", "0022_fleet_operations", "0023_design", "0024_opcua_security", "0027_erp", "0028_tailoring", "0029_embroidery_machines", "0030_sharing_execution", "0031_fleet_maintenance", "0033_opcua_commands", "0036_erp_webhook", "0038_embroidery_heads", "0039_sharing_splits", "0040_design_release", "0041_erp_materials_what_if", "0044_follower_notifications", "0045_energy_meters", "0047_anomaly_bands_risk_settings", "0048_fleet_allocation", "0049_setup_families", "0050_maintenance_records", "0051_opcua_trusted_cas", "0052_fleet_dispatch_carry", "0054_fleet_releases", "0055_mqtt_retained", "0056_mqtt_sessions", "0057_mqtt_session_login"];

    [Fact]
    public async Task Migrations_apply_once_and_a_second_run_applies_nothing()
    {
        var first = await Database.MigrateAsync();
        var second = await Database.MigrateAsync();

        Assert.Equal(AllMigrations, first);
        Assert.Empty(second);
        await using var connection = await Database.OpenAsync();
        Assert.Equal(AllMigrations.Length, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Another_instance_on_a_migrated_store_applies_nothing()
    {
        await Database.MigrateAsync();
        await using var another = Store.OpenAnother();

        Assert.Empty(await another.MigrateAsync());
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_exactly_once()
    {
        var instances = Enumerable.Range(0, 4).Select(_ => Store.OpenAnother()).ToList();
        try
        {
            var results = await Task.WhenAll(instances.Select(d => d.MigrateAsync()));

            Assert.Equal(AllMigrations, results.SelectMany(r => r).Order());
            await using var connection = await Database.OpenAsync();
            Assert.Equal(AllMigrations.Length, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_store_with_a_migration_this_build_does_not_know_is_refused_and_left_as_it_is()
    {
        await Database.MigrateAsync();
        await using (var connection = await Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_from_a_newer_build', 0)");
        }

        await using var older = Store.OpenAnother();
        var refused = await Assert.ThrowsAsync<SchemaTooNewException>(() => older.MigrateAsync());

        Assert.Equal(["9999_from_a_newer_build"], refused.Unknown);
        Assert.Contains("9999_from_a_newer_build", refused.Message, StringComparison.Ordinal);
        await using var check = await Database.OpenAsync();
        Assert.Equal(AllMigrations.Length + 1, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_duplicate_key_is_classified_as_unique()
    {
        await Database.MigrateAsync();
        await using var connection = await Database.OpenAsync();
        await InsertTenantAsync(connection, "acme");

        var error = await Assert.ThrowsAnyAsync<DbException>(() => InsertTenantAsync(connection, "acme"));

        Assert.Equal(ConstraintKind.Unique, Database.Classify(error));
    }

    [Fact]
    public async Task A_reference_to_a_missing_row_is_classified_as_foreign_key()
    {
        await Database.MigrateAsync();
        await using var connection = await Database.OpenAsync();

        var error = await Assert.ThrowsAnyAsync<DbException>(() => InsertSiteAsync(connection, tenantId: 999, "ghost"));

        Assert.Equal(ConstraintKind.ForeignKey, Database.Classify(error));
    }

    [Fact]
    public async Task A_violated_check_is_classified_as_check()
    {
        await Database.MigrateAsync();
        await using var connection = await Database.OpenAsync();

        // A platform admin key must not belong to a tenant.
        var tenant = await InsertTenantAsync(connection, "acme");
        var error = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(
            "INSERT INTO api_keys (tenant_id, public_id, name, role, secret_hash, created_at, created_by) VALUES (@tenant, 'p1', 'k', 'platform_admin', 'h', 0, 'test')",
            new { tenant }));

        Assert.Equal(ConstraintKind.Check, Database.Classify(error));
    }

    [Fact]
    public async Task An_error_that_is_no_constraint_is_classified_as_none()
    {
        await Database.MigrateAsync();
        await using var connection = await Database.OpenAsync();

        var error = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("SELECT * FROM no_such_table"));

        Assert.Equal(ConstraintKind.None, Database.Classify(error));
    }

    [Fact]
    public async Task An_area_cannot_refer_to_a_site_of_another_tenant()
    {
        await Database.MigrateAsync();
        await using var connection = await Database.OpenAsync();
        var a = await InsertTenantAsync(connection, "a");
        var b = await InsertTenantAsync(connection, "b");
        var siteOfA = await InsertSiteAsync(connection, a, "plant");

        var error = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(
            "INSERT INTO areas (tenant_id, site_id, name, created_at, updated_at) VALUES (@b, @siteOfA, 'hall', 0, 0)", new { b, siteOfA }));

        Assert.Equal(ConstraintKind.ForeignKey, Database.Classify(error));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM areas"));
    }

    [Fact]
    public async Task A_machine_cannot_use_a_line_or_a_machine_type_of_another_tenant()
    {
        await Database.MigrateAsync();
        await using var connection = await Database.OpenAsync();
        var a = await InsertTenantAsync(connection, "a");
        var b = await InsertTenantAsync(connection, "b");
        var lineOfA = await InsertLineAsync(connection, a);
        var lineOfB = await InsertLineAsync(connection, b);
        var typeOfA = await InsertTypeAsync(connection, a);
        var typeOfB = await InsertTypeAsync(connection, b);

        const string Insert = "INSERT INTO machines (tenant_id, line_id, type_id, name, created_at, updated_at) VALUES (@tenant, @line, @type, 'm1', 0, 0)";
        var foreignLine = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(Insert, new { tenant = b, line = lineOfA, type = typeOfB }));
        var foreignType = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(Insert, new { tenant = b, line = lineOfB, type = typeOfA }));

        Assert.Equal(ConstraintKind.ForeignKey, Database.Classify(foreignLine));
        Assert.Equal(ConstraintKind.ForeignKey, Database.Classify(foreignType));
        Assert.Equal(1, await connection.ExecuteAsync(Insert, new { tenant = b, line = lineOfB, type = typeOfB }));
    }

    [Fact]
    public async Task A_device_credential_cannot_belong_to_a_machine_of_another_tenant()
    {
        await Database.MigrateAsync();
        await using var connection = await Database.OpenAsync();
        var a = await InsertTenantAsync(connection, "a");
        var b = await InsertTenantAsync(connection, "b");
        var machineOfA = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO machines (tenant_id, line_id, type_id, name, created_at, updated_at) VALUES (@a, @line, @type, 'm1', 0, 0) RETURNING id",
            new { a, line = await InsertLineAsync(connection, a), type = await InsertTypeAsync(connection, a) });

        var error = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(
            "INSERT INTO device_credentials (tenant_id, machine_id, username, secret_hash, created_at) VALUES (@b, @machineOfA, 'd-1', 'h', 0)",
            new { b, machineOfA }));

        Assert.Equal(ConstraintKind.ForeignKey, Database.Classify(error));
    }

    [Fact]
    public async Task Deleting_a_tenant_deletes_its_whole_plant()
    {
        await Database.MigrateAsync();
        await using var connection = await Database.OpenAsync();
        var a = await InsertTenantAsync(connection, "a");
        var b = await InsertTenantAsync(connection, "b");
        await connection.ExecuteAsync(
            "INSERT INTO machines (tenant_id, line_id, type_id, name, created_at, updated_at) VALUES (@a, @line, @type, 'm1', 0, 0)",
            new { a, line = await InsertLineAsync(connection, a), type = await InsertTypeAsync(connection, a) });
        await InsertLineAsync(connection, b);

        await connection.ExecuteAsync("DELETE FROM tenants WHERE id = @a", new { a });

        foreach (var table in new[] { "sites", "areas", "lines", "machine_types", "machines" })
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE tenant_id = @a", new { a }));
        }

        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM lines WHERE tenant_id = @b", new { b }));
    }

    private static Task<long> InsertTenantAsync(DbConnection connection, string slug) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO tenants (slug, name, created_at, updated_at) VALUES (@slug, @slug, 0, 0) RETURNING id", new { slug });

    private static Task<long> InsertSiteAsync(DbConnection connection, long tenantId, string name) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO sites (tenant_id, name, time_zone, created_at, updated_at) VALUES (@tenantId, @name, 'UTC', 0, 0) RETURNING id",
            new { tenantId, name });

    private static async Task<long> InsertLineAsync(DbConnection connection, long tenantId)
    {
        var site = await InsertSiteAsync(connection, tenantId, "plant");
        var area = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO areas (tenant_id, site_id, name, created_at, updated_at) VALUES (@tenantId, @site, 'hall', 0, 0) RETURNING id",
            new { tenantId, site });
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO lines (tenant_id, area_id, name, created_at, updated_at) VALUES (@tenantId, @area, 'line', 0, 0) RETURNING id",
            new { tenantId, area });
    }

    private static Task<long> InsertTypeAsync(DbConnection connection, long tenantId) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO machine_types (tenant_id, name, tags, created_at, updated_at) VALUES (@tenantId, 'press', '[]', 0, 0) RETURNING id",
            new { tenantId });

    public sealed class OnSqlite : DatabaseTests
    {
        protected override Task<StoreFixture> CreateStoreAsync() => Task.FromResult(StoreFixture.CreateSqlite());
    }

    public sealed class OnPostgres : DatabaseTests
    {
        protected override Task<StoreFixture> CreateStoreAsync() => StoreFixture.CreatePostgresAsync();
    }
}
