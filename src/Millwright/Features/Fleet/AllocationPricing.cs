namespace Millwright.Features.Fleet;

/// <summary>Eligibility and price of one machine for one request, shared by the solver and the greedy baseline.</summary>
internal static class AllocationPricing
{
    private const double EarthRadiusKm = 6371.0088;
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    public static double GreatCircleKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>Same category, every asked capability at least as large, not away during the request.</summary>
    public static bool CanServe(FleetMachine machine, SiteRequest request) =>
        IsCapable(machine, request) && !machine.Unavailable.Any(w => w.Overlaps(request.From, request.To));

    public static bool IsCapable(FleetMachine machine, SiteRequest request) =>
        string.Equals(machine.Category, request.Category, StringComparison.OrdinalIgnoreCase)
        && request.MinCapabilities.All(c => machine.Capabilities.TryGetValue(c.Key, out var has) && has >= c.Value);

    public static Assignment Price(FleetMachine machine, SiteRequest request, AllocationCosts costs)
    {
        var road = GreatCircleKm(machine.Latitude, machine.Longitude, request.Latitude, request.Longitude) * costs.RoadFactor;
        var days = (request.To - request.From + Day - 1) / Day;
        return new Assignment(request.Id, machine.Id, Math.Round(road, 3), Math.Round(road * costs.TransportPerKm, 2), Math.Round(days * machine.DailyRate, 2));
    }

    /// <summary>The price in cents, the integer the solvers minimise.</summary>
    public static long Cents(Assignment assignment) => (long)Math.Round(assignment.Cost * 100);
}
