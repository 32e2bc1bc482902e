namespace Millwright.Design;

/// <summary>A parsed client message of the design channel (docs/design-workspace.md, "Channel protocol").</summary>
internal sealed record ChannelRequest(ChannelRequestKind Kind, string? Key = null, string? Replica = null, IReadOnlyList<WireOp>? Ops = null, string? Node = null);
