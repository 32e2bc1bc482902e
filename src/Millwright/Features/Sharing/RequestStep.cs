namespace Millwright.Features.Sharing;

/// <summary>One operation of a request, with the buyer's own time estimate (used where the provider has no cycle data).</summary>
internal sealed record RequestStep(string Process, double SetupMinutes, double UnitSeconds);
