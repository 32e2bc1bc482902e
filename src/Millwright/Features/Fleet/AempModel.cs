namespace Millwright.Features.Fleet;

/// <summary>One child value of an element: a number, a boolean or a text.</summary>
internal sealed record AempValue(string Name, object Value);

/// <summary>One element occurrence at one time (the standard's datetime).</summary>
internal sealed record AempRecord(string Name, long Timestamp, IReadOnlyList<AempValue> Values);

/// <summary>The standard's EquipmentHeader: who made the machine and which one it is.</summary>
internal sealed record AempHeader(string OemName, string Model, string EquipmentId, string SerialNumber, string? Pin);

/// <summary>A machine's header and the latest occurrence of each element it has.</summary>
internal sealed record AempEquipment(long MachineId, AempHeader Header, IReadOnlyList<AempRecord> Records);

/// <summary>A navigation link as the standard writes it: a relation (self, first, prev, next, last) and a URL.</summary>
internal sealed record AempLink(string Rel, string Href);

/// <summary>One page of the fleet snapshot.</summary>
internal sealed record AempFleetPage(long SnapshotTime, IReadOnlyList<AempLink> Links, IReadOnlyList<AempEquipment> Equipment);

/// <summary>One page of one element's time series for one machine; <see cref="Root"/> names the document.</summary>
internal sealed record AempSeriesPage(string Root, long SnapshotTime, IReadOnlyList<AempLink> Links, AempHeader Header, IReadOnlyList<AempRecord> Records);
