namespace Millwright.Features.Tailoring;

/// <summary>A customer profile as a client sends it: name, sex and any ANSUR II measurements (mm; weightkg in tenths of a kg).</summary>
internal sealed record CustomerInput(string? Name, string? Sex, IReadOnlyDictionary<string, double>? Measurements);

internal sealed record CustomerQuery(int? Limit, long? After) : Api.IListQuery;

/// <summary>
/// A stored customer: what was measured (<see cref="Given"/>), every measurement completed by inference
/// (<see cref="Measurements"/>), the warnings of borderline values, and the base size with its alterations.
/// </summary>
internal sealed record CustomerDto(
    long Id,
    string Name,
    string Sex,
    IReadOnlyDictionary<string, double> Given,
    IReadOnlyDictionary<string, double> Measurements,
    IReadOnlyList<string> Warnings,
    SizeDto Size,
    DateTimeOffset CreatedAt) : Api.IHasId;

/// <summary>The best base size of a chart and, per control measurement, the alteration from it (mm, body minus size).</summary>
internal sealed record SizeDto(string Chart, string Designation, IReadOnlyDictionary<string, double> Alterations);
