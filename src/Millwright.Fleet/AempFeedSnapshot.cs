namespace Millwright.Fleet;

/// <summary>
/// A fleet snapshot read from another maker's ISO 15143-3 feed: each machine's header and its element values as
/// platform telemetry points, plus what was skipped and why (an element without a time, a unit we do not know), and
/// the href of the page's <c>next</c> link when the feed is paged (as written, relative or absolute; null on the last page).
/// </summary>
internal sealed record AempFeedSnapshot(DateTimeOffset? SnapshotTime, IReadOnlyList<AempFeedEquipment> Equipment, IReadOnlyList<string> Skipped, string? Next = null);

/// <summary>One machine of a feed: the EquipmentHeader fields and its points (tag, device time, value).</summary>
internal sealed record AempFeedEquipment(string? OemName, string? Model, string? EquipmentId, string? SerialNumber, string? Pin, IReadOnlyList<AempFeedPoint> Points)
{
    /// <summary>What identifies the machine within its feed: the serial number, else the equipment id, else the PIN.</summary>
    public string? Key => SerialNumber ?? EquipmentId ?? Pin;
}

/// <summary>A value for a platform tag (docs/fleet.md's mapping) at a device time (Unix ms); booleans as 1 and 0 with <see cref="IsFlag"/>.</summary>
internal readonly record struct AempFeedPoint(string Tag, long At, double Value, bool IsFlag);
