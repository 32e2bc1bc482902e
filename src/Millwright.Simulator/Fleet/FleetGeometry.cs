namespace Millwright.Simulator.Fleet;

/// <summary>Great-circle distance and straight-line travel between two WGS 84 points (machines go in straight lines).</summary>
internal static class FleetGeometry
{
    private const double EarthRadiusKm = 6371.0;

    public static double Kilometres((double Latitude, double Longitude) a, (double Latitude, double Longitude) b)
    {
        var dLat = Radians(b.Latitude - a.Latitude);
        var dLon = Radians(b.Longitude - a.Longitude);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(Radians(a.Latitude)) * Math.Cos(Radians(b.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The point <paramref name="km"/> along the straight line from a to b (b itself once the line is shorter).</summary>
    public static (double Latitude, double Longitude) Towards((double Latitude, double Longitude) a, (double Latitude, double Longitude) b, double km)
    {
        var total = Kilometres(a, b);
        if (total <= km || total == 0)
        {
            return b;
        }

        var f = km / total;
        return (a.Latitude + ((b.Latitude - a.Latitude) * f), a.Longitude + ((b.Longitude - a.Longitude) * f));
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
