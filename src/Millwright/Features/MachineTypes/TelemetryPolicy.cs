namespace Millwright.Features.MachineTypes;

/// <summary>The two answers a machine type gives to telemetry it does not expect.</summary>
internal static class TelemetryPolicy
{
    public const string Reject = "reject";
    public const string Flag = "flag";

    public static readonly string[] All = [Reject, Flag];
}
