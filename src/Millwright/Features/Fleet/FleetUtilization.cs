using Millwright.Api;
using Millwright.Storage.TimeSeries;
using Millwright.Features.Telemetry;

namespace Millwright.Features.Fleet;

/// <summary>
/// Utilization of fleet machines and job sites over a range, from the machines' stored AEMP counters
/// (<see cref="UtilizationCalculator"/>) and their reported positions against the tenant's geofences.
/// </summary>
internal sealed class FleetUtilization(TelemetryStorage storage)
{
    /// <summary>Points of one tag one machine's figures may read; a wider range is refused, naming the bound.</summary>
    public const int MaxPoints = 200_000;

    private const double HourMs = 3_600_000;

    public async Task<MachineUtilizationDto> MachineAsync(long tenant, EquipmentDto machine, TimeRange range, CancellationToken ct)
    {
        var (segments, _) = await SegmentsAsync(tenant, machine.MachineId, range, positions: false, ct);
        return new MachineUtilizationDto(machine.MachineId, machine.EquipmentId, Figures(segments, range.Length / HourMs),
            UtilizationCalculator.Timeline(segments, range.From, range.To));
    }

    public async Task<FleetUtilizationDto> FleetAsync(long tenant, IReadOnlyList<EquipmentDto> fleet, GeofenceIndex index, TimeRange range, CancellationToken ct)
    {
        var machines = new List<MachineUtilizationDto>();
        var bySite = new Dictionary<long, (HashSet<long> Machines, List<UtilizationSegment> Segments)>();
        foreach (var machine in fleet)
        {
            var (segments, positions) = await SegmentsAsync(tenant, machine.MachineId, range, positions: index.Fences.Count > 0, ct);
            machines.Add(new MachineUtilizationDto(machine.MachineId, machine.EquipmentId, Figures(segments, range.Length / HourMs), null));
            var lat = new PointCursor(positions.Latitudes);
            var lon = new PointCursor(positions.Longitudes);
            foreach (var segment in segments)
            {
                if (lat.At(segment.From) is not { } la || lon.At(segment.From) is not { } lo)
                {
                    continue;
                }

                foreach (var fence in index.Fences.Where(f => f.Contains(la, lo)))
                {
                    if (!bySite.TryGetValue(fence.Id, out var site))
                    {
                        site = (new HashSet<long>(), new List<UtilizationSegment>());
                        bySite[fence.Id] = site;
                    }

                    site.Machines.Add(machine.MachineId);
                    site.Segments.Add(segment);
                }
            }
        }

        var sites = index.Fences.Select(f => bySite.TryGetValue(f.Id, out var s)
                ? new SiteUtilizationDto(f.Id, f.Name, s.Machines.Count, Figures(s.Segments, null))
                : new SiteUtilizationDto(f.Id, f.Name, 0, Figures([], null)))
            .ToList();
        return new FleetUtilizationDto(DateTimeOffset.FromUnixTimeMilliseconds(range.From), DateTimeOffset.FromUnixTimeMilliseconds(range.To), machines, sites);
    }

    /// <summary>Sums of segments; <paramref name="rangeHours"/> given for a machine (the rest is no data), null for a site (not attributed).</summary>
    private static UtilizationFiguresDto Figures(IReadOnlyCollection<UtilizationSegment> segments, double? rangeHours)
    {
        var working = segments.Sum(s => s.Working);
        var idle = segments.Sum(s => s.Idle);
        var off = segments.Sum(s => s.Off);
        var fuel = segments.Sum(s => s.Fuel);
        var covered = segments.Sum(s => (s.To - s.From) / HourMs);
        return new UtilizationFiguresDto(Math.Round(working, 3), Math.Round(idle, 3), Math.Round(off, 3),
            rangeHours is { } h ? Math.Round(Math.Max(0, h - covered), 3) : 0, Math.Round(fuel, 3),
            working > 0 ? Math.Round(fuel / working, 3) : null, working + idle > 0 ? Math.Round(idle / (working + idle), 4) : null);
    }

    private async Task<(IReadOnlyList<UtilizationSegment> Segments, (IReadOnlyList<(long At, double Value)> Latitudes, IReadOnlyList<(long At, double Value)> Longitudes) Positions)>
        SegmentsAsync(long tenant, long machine, TimeRange range, bool positions, CancellationToken ct)
    {
        var operating = await ReadAsync(new SeriesKey(tenant, machine, "engine_hours"), range, ct);
        if (operating.Count < 2)
        {
            return ([], ([], []));
        }

        var idle = await ReadAsync(new SeriesKey(tenant, machine, "idle_hours"), range, ct);
        var fuel = await ReadAsync(new SeriesKey(tenant, machine, "fuel_used"), range, ct);
        var segments = UtilizationCalculator.Segments(operating, idle, fuel);
        if (!positions)
        {
            return (segments, ([], []));
        }

        var latitudes = await ReadAsync(new SeriesKey(tenant, machine, "latitude"), range, ct);
        return (segments, (latitudes, await ReadAsync(new SeriesKey(tenant, machine, "longitude"), range, ct)));
    }

    private async Task<IReadOnlyList<(long At, double Value)>> ReadAsync(SeriesKey key, TimeRange range, CancellationToken ct)
    {
        if (storage.Store.FindSeries(key) is not { Kind: not SeriesKind.Text })
        {
            return [];
        }

        var points = await storage.Store.ReadAsync(key, range.From, range.To, MaxPoints + 1, ct);
        if (points.Count > MaxPoints)
        {
            throw ApiProblem.Invalid("from", $"machine {key.MachineId} reported more than {MaxPoints} points of {key.Tag} in the range: ask for a shorter one");
        }

        return points.Select(p => (p.Timestamp, p.Number)).ToList();
    }
}
