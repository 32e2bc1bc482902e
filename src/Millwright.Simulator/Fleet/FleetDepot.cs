namespace Millwright.Simulator.Fleet;

/// <summary>A provisioned depot: its gateway machine's name and device credential, and the names of the machines it reports for.</summary>
internal sealed record FleetDepot(int Index, string Gateway, string Username, string Secret, IReadOnlyList<string> Machines);
