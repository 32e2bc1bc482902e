namespace Millwright.Features.Telemetry;

/// <summary>
/// The pipeline's answer to a message: refused (with the reason the device is told), busy (no room before the
/// sender's patience ran out), or accepted, with <see cref="Stored"/> completing once it is durable. A sender
/// acknowledges only after <see cref="Stored"/>: that is what makes an acknowledged value safe from a crash.
/// </summary>
internal readonly record struct Admission(Task? Stored, string? Refusal, bool Busy, string? Quota = null)
{
    /// <summary>Refused because the message would pass the named quota (MQTT 0x97, HTTP 403).</summary>
    public static Admission OverQuota(string quota, string reason) => new(null, reason, false, quota);

    public static Admission Accepted(Task stored) => new(stored, null, false);

    public static Admission Refused(string reason) => new(null, reason, false);

    public static readonly Admission Full = new(null, null, true);
}
