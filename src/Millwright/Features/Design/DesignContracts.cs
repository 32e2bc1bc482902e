namespace Millwright.Features.Design;

/// <summary>A new project; <paramref name="IdeaId"/> names the accepted makerspace idea it grows from (the development cycle starts there).</summary>
internal sealed record ProjectInput(string? Name, string? ProductFamily, long? IdeaId = null);

internal sealed record ProjectDto(long Id, string Name, string? ProductFamily, DateTimeOffset CreatedAt, string CreatedBy, long? IdeaId);

internal sealed record NodeDto(string Id, string Parent, IReadOnlyDictionary<string, string?> Fields);

internal sealed record PresenceDto(string Replica, string Actor, string? Node);

/// <summary>The structure as the server holds it now: every node under the root or the trash, with its fields.</summary>
internal sealed record StructureDto(long ProjectId, long Clock, int Operations, IReadOnlyList<NodeDto> Nodes, IReadOnlyList<PresenceDto> Present);

/// <summary>One write of a field (or, for <c>parent</c>, one move) in stamp order; the last one not skipped is the value.</summary>
internal sealed record FieldChangeDto(long Counter, string Replica, string Actor, DateTimeOffset StoredAt, string? Value, bool Skipped);

/// <summary>A parameter or constraint as evaluated now: value in its unit, or the error that keeps it from having one; a constraint's verdict.</summary>
internal sealed record ParameterDto(string Node, string Field, string? Text, string? Value, string? Unit, string? Error, bool? Holds);
