namespace Millwright.Features.Live;

/// <summary>A control message for the writer: a prepared JSON message, or the machines whose snapshot it should read from the twin when it sends.</summary>
internal sealed record LiveOutgoing(byte[]? Json, IReadOnlyCollection<long>? SnapshotOf = null);
