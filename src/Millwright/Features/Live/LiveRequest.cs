namespace Millwright.Features.Live;

/// <summary>One parsed client message: a key (for <see cref="LiveRequestKind.Authenticate"/>) or a selection.</summary>
internal sealed record LiveRequest(LiveRequestKind Kind, string? Key, LiveSelection Selection);
