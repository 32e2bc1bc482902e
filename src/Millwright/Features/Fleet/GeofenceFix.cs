namespace Millwright.Features.Fleet;

/// <summary>What one report of a machine says about where it is and whether its engine runs, at one device time.</summary>
internal readonly record struct GeofenceFix(long TenantId, long MachineId, long At, double? Latitude, double? Longitude, bool? EngineRunning);
