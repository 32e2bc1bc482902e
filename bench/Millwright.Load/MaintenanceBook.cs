using System.Globalization;
using System.Text;
using Millwright.Api;
using Millwright.Features.Maintenance;
using Millwright.Features.PlantFiles;
using Millwright.Features.Tenants;
using Millwright.Hosting;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Bench;

/// <summary>
/// The platform's record of the bench fleet's maintenance: a store of its own (SQLite in a temporary directory) holding
/// the fleet's machines, where the crew records each renewal through the platform's maintenance-record service (what
/// <c>POST /api/v1/machines/{id}/maintenance-records</c> runs) and from which the predictor reads the records back.
/// The bench's clock runs in production time, so each call runs on the machine's own clock.
/// </summary>
internal sealed class MaintenanceBook : IDisposable
{
    private readonly string _directory;
    private readonly IDatabase _database;
    private readonly Sessions _sessions;
    private readonly Caller _crew;
    private readonly long _type;

    private MaintenanceBook(string directory, IDatabase database, long tenant, long type, IReadOnlyDictionary<string, long> ids)
    {
        _directory = directory;
        _database = database;
        _sessions = new Sessions(database, TimeProvider.System);
        _crew = new Caller(0, "bench maintenance crew", tenant, Role.Operator);
        _type = type;
        Ids = ids;
    }

    /// <summary>The platform's id of each machine, by the simulator's name (the platform's is its lower case).</summary>
    public IReadOnlyDictionary<string, long> Ids { get; }

    /// <summary>A fresh store with one tenant, one site and the named machines (their tags do not matter to the records).</summary>
    public static MaintenanceBook Create(IEnumerable<string> machines) => CreateAsync(machines).GetAwaiter().GetResult();

    private static async Task<MaintenanceBook> CreateAsync(IEnumerable<string> machines)
    {
        var directory = Directory.CreateTempSubdirectory("mw-bench-maintenance-").FullName;
        var database = await new StoreOptions(directory, null).OpenAsync();
        var yaml = new StringBuilder("tenant: bench\nname: Maintenance bench\nmachineTypes:\n  - name: wearing machine\n    tags:\n");
        yaml.Append("      - { name: power, unit: kW, dataType: float, min: 0, max: 100 }\n");
        yaml.Append("sites:\n  - name: Works\n    areas:\n      - name: Shop floor\n        lines:\n          - name: Fleet\n            machines:\n");
        // The platform's names are lower case; the simulator's keep their kind's capitals.
        var names = machines.ToDictionary(m => m.ToLowerInvariant(), m => m);
        foreach (var name in names.Keys)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"              - {{ name: {name}, type: wearing machine }}\n");
        }

        var plant = PlantImporter.Parse("maintenance-bench.yaml", new StringReader(yaml.ToString()));
        var (tenant, type, ids) = await new Sessions(database, TimeProvider.System).RunAsync(Caller.CommandLine(null), async s =>
        {
            await PlantImporter.ImportAsync(s, plant);
            var id = (await Tenants.FindBySlugAsync(s, "bench"))!.Id;
            var type = await s.ScalarAsync<long>("SELECT id FROM machine_types WHERE tenant_id = @id", new { id });
            var rows = await s.QueryAsync<(long Id, string Name)>("SELECT id, name FROM machines WHERE tenant_id = @id", new { id });
            return (id, type, rows.ToDictionary(r => names[r.Name], r => r.Id));
        });
        return new MaintenanceBook(directory, database, tenant, type, ids);
    }

    /// <summary>The crew's record of maintenance done now on <paramref name="machine"/>, outside a calendar stop (the bench plans none).</summary>
    public void Record(long machine, TimeProvider clock, string note) =>
        _sessions.WithClock(clock).RunAsync(_crew, s => MaintenanceRecords.RecordAsync(s, machine, new MaintenanceRecordInput(MaintenanceRecords.Maintenance, null, null, null, note)))
            .GetAwaiter().GetResult();

    /// <summary>The machine's stored records, oldest first, as the risk estimate reads them.</summary>
    public IReadOnlyList<MaintenanceRecordRow> Records(long machine, TimeProvider clock) =>
        _sessions.WithClock(clock).RunAsync(_crew, async s => (await MaintenanceRecords.OfTypeAsync(s, _type, long.MinValue))[machine].ToList())
            .GetAwaiter().GetResult();

    public void Dispose()
    {
        _database.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind costs nothing but disk.
        }
    }
}
