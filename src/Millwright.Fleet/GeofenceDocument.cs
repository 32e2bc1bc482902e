using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace Millwright.Fleet;

/// <summary>
/// Reads a geofence from a GeoJSON Feature (RFC 7946) whose geometry is a Polygon, and checks it the way a map
/// needs it: positions inside WGS 84's range, every ring closed (its last position repeats its first, §3.1.6) with
/// at least four positions, and a valid polygon (no self-intersection, holes inside the shell) by NetTopologySuite.
/// Input is untrusted: anything else is a <see cref="FleetFormatException"/> naming the cause, never another exception.
/// </summary>
internal static class GeofenceDocument
{
    public const int MaxRings = 100;
    public const int MaxPositions = 10_000;
    public const int MaxBytes = 1 << 20;

    public static readonly string[] Kinds = ["job_site", "depot"];

    /// <summary>Planar geometry in degrees (x longitude, y latitude), the frame GeoJSON positions are in.</summary>
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static GeofenceDefinition Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes)
        {
            throw FleetFormatException.Of("body", $"a geofence document is at most {MaxBytes} bytes");
        }

        // The JSON reader checks structure only; a string's bytes would fail later, when read as text.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw FleetFormatException.Of("body", "is not UTF-8 text");
        }

        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            throw FleetFormatException.Of("body", "is not JSON: " + e.Message);
        }
    }

    public static GeofenceDefinition Parse(JsonElement feature)
    {
        var v = new FormatErrors();
        if (feature.ValueKind != JsonValueKind.Object || String(feature, "type") != "Feature")
        {
            throw FleetFormatException.Of("type", "must be a GeoJSON Feature ({\"type\": \"Feature\", \"geometry\": {\"type\": \"Polygon\", ...}, \"properties\": {...}})");
        }

        var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var name = Name(v, properties.ValueKind == JsonValueKind.Object ? String(properties, "name") : null);
        var kind = properties.ValueKind == JsonValueKind.Object ? String(properties, "kind") : null;
        if (kind is null || !Kinds.Contains(kind))
        {
            v.Add("properties.kind", "must be job_site or depot");
        }

        var zone = (properties.ValueKind == JsonValueKind.Object ? String(properties, "timeZone") : null) ?? "UTC";
        if (zone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            v.Add("properties.timeZone", "must be an IANA time zone such as Europe/Berlin");
        }

        var hours = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("workingHours", out var wh) && wh.ValueKind != JsonValueKind.Null
            ? Hours(v, wh)
            : null;
        var rings = Rings(v, feature.TryGetProperty("geometry", out var g) ? g : default);
        v.ThrowIfAny();
        return new GeofenceDefinition(name, kind!, rings!, zone, hours);
    }

    /// <summary>The NetTopologySuite polygon of rings that <see cref="Parse(JsonElement)"/> accepted.</summary>
    public static Polygon Polygon(double[][][] rings)
    {
        var linear = rings.Select(r => Factory.CreateLinearRing([.. r.Select(c => new Coordinate(c[0], c[1]))])).ToArray();
        return Factory.CreatePolygon(linear[0], linear[1..]);
    }

    /// <summary>The geometry member as the platform stores and returns it.</summary>
    public static string GeometryJson(double[][][] rings) =>
        JsonSerializer.Serialize(new { type = "Polygon", coordinates = rings });

    public static double[][][] RingsOf(string geometryJson)
    {
        using var document = JsonDocument.Parse(geometryJson);
        return document.RootElement.GetProperty("coordinates").Deserialize<double[][][]>()!;
    }

    private static double[][][]? Rings(FormatErrors v, JsonElement geometry)
    {
        const string field = "geometry";
        if (geometry.ValueKind != JsonValueKind.Object || String(geometry, "type") != "Polygon")
        {
            v.Add(field, "must be a GeoJSON Polygon");
            return null;
        }

        if (!geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array
            || coordinates.GetArrayLength() is 0 or > MaxRings)
        {
            v.Add(field + ".coordinates", $"must be an array of 1 to {MaxRings} linear rings");
            return null;
        }

        var rings = new List<double[][]>();
        var total = 0;
        foreach (var (ring, r) in coordinates.EnumerateArray().Select((x, i) => (x, i + 1)))
        {
            if (ring.ValueKind != JsonValueKind.Array || ring.GetArrayLength() < 4)
            {
                v.Add(field + ".coordinates", $"ring {r} must be an array of at least 4 positions (a closed ring repeats its first position last)");
                return null;
            }

            total += ring.GetArrayLength();
            if (total > MaxPositions)
            {
                v.Add(field + ".coordinates", $"a geofence has at most {MaxPositions} positions");
                return null;
            }

            var positions = new List<double[]>();
            foreach (var (position, i) in ring.EnumerateArray().Select((x, i) => (x, i + 1)))
            {
                if (Position(position) is not { } lonLat)
                {
                    v.Add(field + ".coordinates", $"position {i} of ring {r} must be [longitude, latitude] or [longitude, latitude, altitude] numbers");
                    return null;
                }

                if (lonLat[0] is < -180 or > 180 || lonLat[1] is < -90 or > 90)
                {
                    v.Add(field + ".coordinates", string.Create(CultureInfo.InvariantCulture,
                        $"position {i} of ring {r} is out of range: longitude {lonLat[0]} must be within -180..180 and latitude {lonLat[1]} within -90..90"));
                    return null;
                }

                positions.Add(lonLat);
            }

            if (positions[0][0] != positions[^1][0] || positions[0][1] != positions[^1][1])
            {
                v.Add(field + ".coordinates", $"ring {r} is not closed: its last position must repeat its first");
                return null;
            }

            rings.Add([.. positions]);
        }

        var array = rings.ToArray();
        var validity = new IsValidOp(Polygon(array));
        if (!validity.IsValid)
        {
            var error = validity.ValidationError;
            var at = error.Coordinate is { } c ? string.Create(CultureInfo.InvariantCulture, $" at longitude {c.X}, latitude {c.Y}") : "";
            v.Add(field + ".coordinates", $"is not a valid polygon: {error.Message}{at}");
            return null;
        }

        return array;
    }

    private static double[]? Position(JsonElement position)
    {
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() is < 2 or > 3)
        {
            return null;
        }

        var values = new double[2];
        var i = 0;
        foreach (var n in position.EnumerateArray())
        {
            if (n.ValueKind != JsonValueKind.Number || !n.TryGetDouble(out var d) || !double.IsFinite(d))
            {
                return null;
            }

            if (i < 2)
            {
                values[i] = d;
            }

            i++;
        }

        return values;
    }

    private static WorkingHours? Hours(FormatErrors v, JsonElement hours)
    {
        const string field = "properties.workingHours";
        if (hours.ValueKind != JsonValueKind.Object)
        {
            v.Add(field, "must be {\"from\": \"07:00\", \"to\": \"18:00\", \"days\": [\"mon\", ...]} or null");
            return null;
        }

        var from = WorkingHours.ParseClock(String(hours, "from"));
        var to = WorkingHours.ParseClock(String(hours, "to"));
        if (from is null || to is null || from == to)
        {
            v.Add(field, "from and to must be different local times HH:mm");
        }

        var days = 0;
        if (!hours.TryGetProperty("days", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            days = 0b0011111; // Monday to Friday when not given
        }
        else
        {
            foreach (var day in list.EnumerateArray())
            {
                var index = day.ValueKind == JsonValueKind.String ? Array.IndexOf(WorkingHours.DayNames, day.GetString()) : -1;
                if (index < 0)
                {
                    v.Add(field + ".days", "must list days as mon, tue, wed, thu, fri, sat, sun");
                    return null;
                }

                days |= 1 << index;
            }

            if (days == 0)
            {
                v.Add(field + ".days", "must name at least one day");
            }
        }

        return from is { } f && to is { } t && f != t ? new WorkingHours(f, t, days) : null;
    }

    private static string Name(FormatErrors v, string? value)
    {
        var name = value?.Trim() ?? "";
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
        {
            v.Add("properties.name", "is required: 1 to 100 characters, no control characters");
        }

        return name;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
