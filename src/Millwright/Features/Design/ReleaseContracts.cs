namespace Millwright.Features.Design;

/// <summary>Release the project's current structure; every revision after the first names the approved change order it implements.</summary>
internal sealed record RevisionInput(string? Note, long? ChangeId);

/// <summary>A released revision; <paramref name="Nodes"/> and <paramref name="Parameters"/> only when one revision is read.</summary>
internal sealed record RevisionDto(
    long Number, string Note, string Cut, DateTimeOffset ReleasedAt, string ReleasedBy, long? ChangeId, DateTimeOffset? ManufacturedAt,
    IReadOnlyList<NodeDto>? Nodes, IReadOnlyList<ParameterDto>? Parameters);

internal sealed record DiffNodeDto(string Node, string Path);

internal sealed record DiffMoveDto(string Node, string From, string To);

internal sealed record DiffFieldDto(string Node, string Path, string Field, string? From, string? To);

internal sealed record RevisionDiffDto(
    long From, long To, IReadOnlyList<DiffNodeDto> Added, IReadOnlyList<DiffNodeDto> Removed, IReadOnlyList<DiffMoveDto> Moved,
    IReadOnlyList<DiffFieldDto> Fields, IReadOnlyList<DiffFieldDto> ComputedValues);

/// <summary>A change request: what should change and why, the parts it touches, and the roles that must approve it.</summary>
internal sealed record ChangeInput(string? Title, string? Reason, IReadOnlyList<string>? Nodes, IReadOnlyList<string>? Roles);

internal sealed record ReviewInput(string? Role, string? Verdict, string? Note);

/// <summary>Who reviews for a role: an API key of the tenant, by id.</summary>
internal sealed record ReviewerInput(string? Role, long? KeyId);

/// <summary>A reviewer: the key (<paramref name="KeyId"/>; null for one assigned by name before keys were named by id) and its name then.</summary>
internal sealed record ReviewerDto(string Role, string Reviewer, DateTimeOffset AssignedAt, string AssignedBy, long? KeyId);

/// <summary>One part a change touches: its path in the working structure, part number, and the production item released from it.</summary>
internal sealed record ImpactDto(string Node, string Path, string? Number, long? ItemId, string? ItemSku);

internal sealed record ReviewDto(string Role, string Verdict, string Note, string Reviewer, DateTimeOffset ReviewedAt);

/// <summary>A change request (<c>requested</c>), order (<c>approved</c> by every role), refused (<c>rejected</c>) or done (<c>released</c> as <paramref name="Revision"/>).</summary>
internal sealed record ChangeDto(
    long Id, long ProjectId, string Title, string Reason, string Status, IReadOnlyList<string> Roles, IReadOnlyList<ImpactDto> Impact,
    IReadOnlyList<ReviewDto> Reviews, DateTimeOffset RequestedAt, string RequestedBy, DateTimeOffset? DecidedAt, long? Revision);

internal sealed record RoutingTemplateDto(string PartType, Production.RoutingInput Routing, DateTimeOffset UpdatedAt);

/// <summary>What releasing a revision to manufacturing made: per part number its item, whether it was created, and whether it got a routing.</summary>
internal sealed record ManufacturedItemDto(string Node, string Path, string Sku, long ItemId, bool Created, bool Routing, string Kind);

internal sealed record ManufacturingDto(long ProjectId, long Revision, DateTimeOffset ReleasedAt, string ReleasedBy, bool AlreadyReleased, IReadOnlyList<ManufacturedItemDto> Items);

/// <summary>Where a production item came from: the design project, node and revision it was released from.</summary>
internal sealed record ItemOriginDto(long ItemId, long ProjectId, string ProjectName, string Node, long Revision, DateTimeOffset LinkedAt);

/// <summary>One project's milestones and cycle times in days (null until both ends happened).</summary>
internal sealed record CycleProjectDto(
    long ProjectId, string Name, string? ProductFamily, long? IdeaId, DateTimeOffset? IdeaSubmittedAt, DateTimeOffset? IdeaAcceptedAt, DateTimeOffset ProjectStartedAt,
    DateTimeOffset? FirstRevisionAt, DateTimeOffset? ManufacturedAt, DateTimeOffset? FirstGoodUnitAt, double? DevelopmentDays, double? RampUpDays);

internal sealed record CycleFamilyDto(string? ProductFamily, int Projects, int Released, double? MeanDevelopmentDays, double? MeanRampUpDays);

/// <summary>The projects first released to manufacturing in [From, To) and their mean cycle times.</summary>
internal sealed record CyclePeriodDto(DateTimeOffset From, DateTimeOffset To, int Released, double? MeanDevelopmentDays, double? MeanRampUpDays);

internal sealed record CycleLeadDto(int OpenRequests, int ApprovedNotReleased, double? MeanOpenAgeDays, double? OldestOpenAgeDays, int Decided, double? MeanReviewHours);

/// <summary>The development-cycle KPI: per project, per family, baseline against current (change in percent: negative is faster), and lead indicators.</summary>
internal sealed record CycleBoardDto(
    IReadOnlyList<CycleProjectDto> Projects, IReadOnlyList<CycleFamilyDto> Families, CyclePeriodDto Baseline, CyclePeriodDto Current,
    double? ChangePercent, CycleLeadDto Lead);
