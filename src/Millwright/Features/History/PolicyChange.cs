namespace Millwright.Features.History;

/// <summary>A change in how a tenant's plant is run, from <see cref="At"/> (Unix ms) on.</summary>
internal sealed record PolicyChange(long Id, long At, string Name, string Description);
