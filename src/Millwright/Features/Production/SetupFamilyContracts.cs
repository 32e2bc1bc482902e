namespace Millwright.Features.Production;

/// <summary>The tenant's setup families and the setup minutes between them, replaced as a whole; every field optional so a missing one is named.</summary>
internal sealed record SetupFamiliesInput(IReadOnlyList<string?>? Families, IReadOnlyList<FamilyTimeInput?>? Matrix);

/// <summary>The setup a machine needs before a job of family <paramref name="To"/> after one of <paramref name="From"/>.</summary>
internal sealed record FamilyTimeInput(string? From, string? To, double? Minutes);

/// <summary>The setup family a program or an item is filed under.</summary>
internal sealed record FamilyAssignmentInput(string? Family);

internal sealed record SetupFamiliesDto(
    IReadOnlyList<string> Families, IReadOnlyList<FamilyTimeDto> Matrix, IReadOnlyList<ProgramFamilyDto> Programs,
    IReadOnlyList<ItemFamilyDto> Items, IReadOnlyList<LearnedFamilyTimeDto> Learned);

internal sealed record FamilyTimeDto(string From, string To, double Minutes);

internal sealed record ProgramFamilyDto(string Program, string Family);

internal sealed record ItemFamilyDto(long ItemId, string? Family);

/// <summary>A family pair's changeover as learned on a machine from its recorded setups (the median of the last ones).</summary>
internal sealed record LearnedFamilyTimeDto(long MachineId, string From, string To, double Minutes);
