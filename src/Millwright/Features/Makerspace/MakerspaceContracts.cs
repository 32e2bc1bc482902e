namespace Millwright.Features.Makerspace;

internal sealed record IdeaInput(string? Title, string? Description, string[]? Tags, string? ProductFamily);

internal sealed record IdeaQuery(string? Q, string? Tag, string? ProductFamily, string? Status, string? Sort, int? Limit, int? Offset);

internal sealed record StatusInput(string? Status, string? Reason, string? Project);

internal sealed record CommentInput(string? Body, long? ParentId);

internal sealed record ReasonInput(string? Reason);

internal sealed record ReportInput(string? Reason, long? CommentId);

internal sealed record BanInput(long? KeyId, string? Reason);

internal sealed record SettingsInput(bool? OpenToExternal);

internal sealed record ParticipantInput(string? Name, string? Email);

internal sealed record Author(long KeyId, string Name, bool External);

internal sealed record IdeaDto(
    long Id, long TenantId, string Title, string Description, IReadOnlyList<string> Tags, string? ProductFamily, string Status,
    string? DecisionReason, string? Project, Author Author, long Votes, long Comments, long Followers,
    bool Voted, bool Following, string? HiddenReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DecidedAt);

internal sealed record IdeaPage(IReadOnlyList<IdeaDto> Items, int? NextOffset);

internal sealed record SimilarIdea(long Id, string Title, string Status, double Score);

internal sealed record CommentDto(long Id, long IdeaId, long? ParentId, Author Author, string? Body, bool Hidden, string? HiddenReason, DateTimeOffset CreatedAt);

internal sealed record AttachmentDto(string Sha256, string Name, string ContentType, long Size, string AddedBy, DateTimeOffset CreatedAt);

internal sealed record ReportDto(long Id, long IdeaId, long? CommentId, string Reason, string Reporter, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt);

internal sealed record BanDto(long KeyId, string Reason, string BannedBy, DateTimeOffset BannedAt);

internal sealed record ContributorDto(long KeyId, string Name, bool External, bool Authored, long Comments);

internal sealed record SettingsDto(bool OpenToExternal);

internal sealed record ParticipantDto(long Id, long TenantId, long KeyId, string Name, string Email, DateTimeOffset CreatedAt);

/// <summary>Returned once, at registration: the participant's key is shown only here.</summary>
internal sealed record RegisteredParticipant(ParticipantDto Participant, string Key);
