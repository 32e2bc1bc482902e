namespace Millwright.Fleet;

/// <summary>A validated geofence as a tenant gave it: rings of [longitude, latitude] positions, the first the shell.</summary>
internal sealed record GeofenceDefinition(string Name, string Kind, double[][][] Rings, string TimeZone, WorkingHours? Hours);
