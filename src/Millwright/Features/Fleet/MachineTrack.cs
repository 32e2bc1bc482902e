namespace Millwright.Features.Fleet;

/// <summary>
/// What the geofence watcher remembers of one machine: its last position, engine state, the geofences it is
/// inside and the alarm conditions it last sent (read back from its active alarms when first seen since the
/// start, so only a change is sent; raising an active alarm or clearing a closed one changes nothing). Owned by
/// the watcher's loop.
/// </summary>
internal sealed class MachineTrack
{
    public long LastAt { get; set; } = long.MinValue;

    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    public bool? EngineRunning { get; set; }

    public HashSet<long> Inside { get; } = [];

    public bool? OutsideAllowed { get; set; }

    public bool? AfterHours { get; set; }

    public bool? Theft { get; set; }

    /// <summary>Cluster mode: the lease token the track was read under; a machine lost and taken back comes back under another.</summary>
    public long? Token { get; init; }
}
