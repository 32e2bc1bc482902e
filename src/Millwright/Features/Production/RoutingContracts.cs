namespace Millwright.Features.Production;

/// <summary>
/// How an item is made, as a client sends it. Operations run in list order unless <c>after</c> names the
/// operations one must wait for; every field is optional so that a missing one is reported by name.
/// </summary>
internal sealed record RoutingInput(IReadOnlyList<OperationInput?>? Operations);

internal sealed record OperationInput(
    string? Id,
    string? Name,
    string? Capability,
    double? SetupSeconds,
    double? UnitSeconds,
    string? Program,
    IReadOnlyList<long>? Machines,
    IReadOnlyList<string>? After,
    IReadOnlyList<MaterialInput?>? Materials);

/// <summary>A material an operation consumes: <paramref name="Quantity"/> of item <paramref name="ItemId"/> per unit made.</summary>
internal sealed record MaterialInput(long? ItemId, double? Quantity);

internal sealed record Material(long ItemId, double Quantity);

/// <summary>A validated operation. <paramref name="Machines"/> null: any machine with the capability at the order's site.</summary>
internal sealed record RoutingOperation(
    string Id,
    string Name,
    string Capability,
    double SetupSeconds,
    double UnitSeconds,
    string Program,
    IReadOnlyList<long>? Machines,
    IReadOnlyList<string> After,
    IReadOnlyList<Material> Materials);

/// <summary>A validated routing, its operations in the order they run (a topological order of <c>after</c>).</summary>
internal sealed record Routing(IReadOnlyList<RoutingOperation> Operations);

internal sealed record RoutingDto(long ItemId, IReadOnlyList<RoutingOperation> Operations, DateTimeOffset UpdatedAt);
