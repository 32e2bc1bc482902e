namespace Millwright.Features.Makerspace;

/// <summary>Something that happened to an idea or design project the key follows.</summary>
internal sealed record NotificationDto(long Id, string Subject, long SubjectId, string Event, string Text, string Actor, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <summary>Marks every notification up to and including <paramref name="UpTo"/> read.</summary>
internal sealed record ReadInput(long? UpTo);

internal sealed record ReadResultDto(int Marked);

/// <summary>An invitation for external participants: how many may register with it, for how long.</summary>
internal sealed record InvitationInput(string? Note, int? Uses, int? ExpiresInDays);

internal sealed record InvitationDto(long Id, string Note, long Uses, long Used, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>The invitation as issued: the token is shown once and never again.</summary>
internal sealed record IssuedInvitation(InvitationDto Invitation, string Token);

/// <summary>Someone registering themselves with an invitation they were given.</summary>
internal sealed record SelfRegistration(string? Invitation, string? Name, string? Email);
