namespace Millwright.Features.Makerspace;

/// <summary>What the duplicate index knows of an idea.</summary>
internal sealed record IndexedIdea(long Id, string Title, string Description, IReadOnlyList<string> Tags);
