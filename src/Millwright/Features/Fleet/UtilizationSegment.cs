namespace Millwright.Features.Fleet;

/// <summary>
/// The time between two hour-meter reports: how much of it the engine worked, idled and was off (hours, from
/// the cumulative operating and idle hour counters), the fuel it used (litres), and the state that took the largest share.
/// </summary>
internal readonly record struct UtilizationSegment(long From, long To, double Working, double Idle, double Off, double Fuel, string State);
