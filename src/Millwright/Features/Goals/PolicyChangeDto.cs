namespace Millwright.Features.Goals;

/// <summary>A recorded change of how the plant is run (e.g. a new maintenance policy), to mark on the sparklines.</summary>
internal sealed record PolicyChangeDto(DateTimeOffset At, string Name, string? Description);
