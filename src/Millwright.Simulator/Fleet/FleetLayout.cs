namespace Millwright.Simulator.Fleet;

/// <summary>
/// Where a simulated fleet lives: depots and job sites scattered over a country-sized box (mainland France's
/// bounding box, 43.3..50.8 N, 1.3 W..7.6 E), one depot per <see cref="MachinesPerDepot"/> machines and one job
/// site per 200, all from one seed. Each machine belongs to a depot (round robin) and works on the job sites
/// nearest to it.
/// </summary>
internal sealed class FleetLayout
{
    public const int MachinesPerDepot = 1000;
    public const int NearSites = 8;

    private FleetLayout(IReadOnlyList<(double Latitude, double Longitude)> depots, IReadOnlyList<(double Latitude, double Longitude)> sites, int[][] nearSites)
    {
        Depots = depots;
        Sites = sites;
        NearSitesOfDepot = nearSites;
    }

    public IReadOnlyList<(double Latitude, double Longitude)> Depots { get; }

    public IReadOnlyList<(double Latitude, double Longitude)> Sites { get; }

    /// <summary>For each depot, the indexes of its nearest job sites, nearest first.</summary>
    public IReadOnlyList<int[]> NearSitesOfDepot { get; }

    public static int DepotCount(int machines, int perDepot = MachinesPerDepot) => Math.Max(1, (machines + perDepot - 1) / perDepot);

    public static FleetLayout Create(int machines, int depotCount, int seed)
    {
        var random = new Random(seed);
        (double, double) Point() => (Math.Round(43.3 + (random.NextDouble() * 7.5), 5), Math.Round(-1.3 + (random.NextDouble() * 8.9), 5));
        var depots = Enumerable.Range(0, depotCount).Select(_ => Point()).ToList();
        var sites = Enumerable.Range(0, Math.Max(NearSites, machines / 200)).Select(_ => Point()).ToList();
        var near = depots.Select(d => Enumerable.Range(0, sites.Count)
            .OrderBy(i => FleetGeometry.Kilometres(d, sites[i]))
            .Take(NearSites).ToArray()).ToArray();
        return new FleetLayout(depots, sites, near);
    }
}
