using System.Diagnostics.CodeAnalysis;

namespace Millwright.Features.Fleet;

/// <summary>WGS 84 degrees as the fleet accepts them: a reading or request outside these ranges is not a position (the live feed repeats the ranges in PendingPositions: it may not depend on Fleet).</summary>
internal static class Coordinates
{
    public static bool IsLatitude([NotNullWhen(true)] double? degrees) => degrees is >= -90 and <= 90;

    public static bool IsLongitude([NotNullWhen(true)] double? degrees) => degrees is >= -180 and <= 180;

    public static bool IsPosition([NotNullWhen(true)] double? latitude, [NotNullWhen(true)] double? longitude) =>
        IsLatitude(latitude) && IsLongitude(longitude);
}
