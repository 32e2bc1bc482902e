namespace Millwright.Features.Telemetry;

/// <summary>A stored value the machine's type did not expect: an unknown tag, a value out of range or of another type.</summary>
internal readonly record struct TelemetryFlag(string Tag, string Reason, long At, string Value);
