using System.Globalization;
using Millwright.Simulator.Drivers;

namespace Millwright.Simulator.Fleet;

/// <summary>
/// The running fleet: the machines of <see cref="FleetLayout"/> (machine i seeded with seed × 100,003 + i, so a
/// seed replays the fleet), grouped by depot, each depot reported by its <see cref="FleetGateway"/>.
/// </summary>
internal sealed class FleetSimulation
{
    private readonly List<FleetGateway> _gateways = [];
    private readonly List<FleetUnit> _units = [];
    private readonly TimeProvider _time;

    public FleetSimulation(IReadOnlyList<FleetDepot> depots, BrokerAddress broker, TimeSpan interval, int seed, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(depots);
        _time = time;
        var machines = depots.Sum(d => d.Machines.Count);
        Layout = FleetLayout.Create(machines, depots.Count, seed);
        var now = time.GetUtcNow();
        foreach (var depot in depots)
        {
            var units = depot.Machines.Select(n => new FleetUnit(n, depot.Index, unchecked((seed * 100_003) + FleetProvisioner.Index(n)), Layout, now)).ToList();
            _units.AddRange(units);
            _gateways.Add(new FleetGateway(broker, depot.Gateway, depot.Username, depot.Secret, units, interval, Stats, time));
        }
    }

    public FleetLayout Layout { get; }

    public FleetStats Stats { get; } = new();

    public int Machines => _units.Count;

    public int Gateways => _gateways.Count;

    /// <summary>Runs every gateway until cancelled; each reconnects on its own after a loss.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_gateways.Select(g => Task.Run(() => g.RunAsync(cancellationToken), CancellationToken.None)));

    /// <summary>One status line: gateways connected, machines born, reports and their rate, stored latency, machines per phase.</summary>
    public string StatusLine(long reportsBefore, TimeSpan over)
    {
        var s = Stats;
        var rate = over > TimeSpan.Zero ? (s.Reports - reportsBefore) / over.TotalSeconds : 0;
        var phases = _units.GroupBy(u => u.Phase).ToDictionary(g => g.Key, g => g.Count());
        var error = s.LastError is { } e && s.Connected < _gateways.Count ? $" | last error: {e}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{_time.GetLocalNow():HH:mm:ss} gateways {s.Connected}/{_gateways.Count} | machines born {s.Births:N0}/{_units.Count:N0} | reports {s.Reports:N0} ({rate:0.0}/s), stored {s.Acknowledged:N0}"
            + $" p99 {s.Stored.Percentile(0.99):0} ms, refused {s.Refused}, on schedule for {s.OnScheduleFor.TotalSeconds:0} s | parked {phases.GetValueOrDefault(FleetPhase.Parked):N0} travelling {phases.GetValueOrDefault(FleetPhase.Travelling):N0}"
            + $" working {phases.GetValueOrDefault(FleetPhase.Working):N0} idle {phases.GetValueOrDefault(FleetPhase.Idle):N0}{error}");
    }
}
