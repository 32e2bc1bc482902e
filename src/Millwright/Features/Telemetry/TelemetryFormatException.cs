namespace Millwright.Features.Telemetry;

/// <summary>A telemetry payload that is not what the wire convention says; the message says where and why.</summary>
internal sealed class TelemetryFormatException(string message) : Exception(message);
