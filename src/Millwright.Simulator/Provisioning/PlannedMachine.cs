using Millwright.Simulator.Drivers;
using Millwright.Simulator.Models;

namespace Millwright.Simulator.Provisioning;

/// <summary>One machine of the fleet plan: its name, kind, protocol and where it stands.</summary>
internal sealed record PlannedMachine(string Name, MachineKind Kind, Protocol Protocol, string Site, string Area, string Line);
