namespace Millwright.Features.Design;

/// <summary>A part a requirement is linked to: the node it is stated on, or one whose parameter its verification reads.</summary>
internal sealed record LinkedPartDto(string Node, string Path, string? Number);

/// <summary>
/// A requirement and where it stands: <c>met</c> (its verification holds), <c>unmet</c> (it does not, or it does not
/// evaluate, or a linked part has a constraint violated or a parameter in error), <c>unverified</c> (linked, nothing
/// wrong, but no verification says it is met), <c>unlinked</c> (stated on the project with nothing to check, or its
/// parts are deleted). Unmet and unlinked ones are flagged.
/// </summary>
internal sealed record RequirementDto(
    string Node, string Name, string Path, string? Statement, string? Verify, string Status, bool Flagged, string? Reason,
    IReadOnlyList<LinkedPartDto> Parts, IReadOnlyList<string> Parameters);

/// <summary>A document of a node: a file held elsewhere, by reference and SHA-256.</summary>
internal sealed record DocumentDto(string Node, string Name, string Path, string Kind, string Sha256, string Uri, string? Title);

/// <summary>A requirement written over REST: the statement, and optionally the comparison that verifies it.</summary>
internal sealed record RequirementInput(string? Text, string? Verify);

/// <summary>A document registered over REST.</summary>
internal sealed record DocumentInput(string? Kind, string? Sha256, string? Uri, string? Title);

/// <summary>Whether the caller follows the project now, and how many keys do.</summary>
internal sealed record FollowDto(long ProjectId, bool Following, long Followers);
