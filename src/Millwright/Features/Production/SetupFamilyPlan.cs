namespace Millwright.Features.Production;

/// <summary>
/// The tenant's setup families as the planner uses them (docs/scheduling.md, Setup families): which family a job
/// belongs to (its program's, else its item's, else none), the tenant's matrix of setup times between families, and
/// the family pairs learned per machine from its recorded setups. Times in ms.
/// </summary>
internal sealed record SetupFamilyPlan(
    IReadOnlyDictionary<string, string> Programs,
    IReadOnlyDictionary<long, string> Items,
    IReadOnlyDictionary<(string From, string To), long> Matrix,
    IReadOnlyDictionary<(long Machine, string From, string To), long> Learned)
{
    public static readonly SetupFamilyPlan Empty = new(
        new Dictionary<string, string>(), new Dictionary<long, string>(), new Dictionary<(string, string), long>(), new Dictionary<(long, string, string), long>());

    /// <summary>The family of a job of <paramref name="program"/> for item <paramref name="itemId"/>; "" for none.</summary>
    public string Of(string program, long itemId) =>
        program.Length > 0 && Programs.TryGetValue(program, out var family) ? family : Items.GetValueOrDefault(itemId, "");
}
