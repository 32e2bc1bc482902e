namespace Millwright.Features.Design;

internal sealed record ProjectInput(string? Name, string? ProductFamily);

internal sealed record ProjectDto(long Id, string Name, string? ProductFamily, DateTimeOffset CreatedAt, string CreatedBy);

internal sealed record NodeDto(string Id, string Parent, IReadOnlyDictionary<string, string?> Fields);

internal sealed record PresenceDto(string Replica, string Actor, string? Node);

/// <summary>The structure as the server holds it now: every node under the root or the trash, with its fields.</summary>
internal sealed record StructureDto(long ProjectId, long Clock, int Operations, IReadOnlyList<NodeDto> Nodes, IReadOnlyList<PresenceDto> Present);

/// <summary>One write of a field (or, for <c>parent</c>, one move) in stamp order; the last one not skipped is the value.</summary>
internal sealed record FieldChangeDto(long Counter, string Replica, string Actor, DateTimeOffset StoredAt, string? Value, bool Skipped);
