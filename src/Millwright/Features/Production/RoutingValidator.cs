using System.Globalization;
using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>
/// Checks a routing on its own (names, times, precedence) and puts its operations in running order. Checks
/// that need the store (machines, capabilities, material items) are in <see cref="Routings"/>.
/// </summary>
internal static class RoutingValidator
{
    public const int MaxOperations = 200;

    /// <summary>A week: a longer setup or unit time is taken as a unit mistake (minutes or ms typed as seconds).</summary>
    public const double MaxSeconds = 7 * 24 * 3600;

    public static Routing Validate(RoutingInput input)
    {
        var v = new Validator();
        if (input.Operations is not { Count: > 0 } operations)
        {
            v.Add("operations", "at least one operation is required");
            v.ThrowIfInvalid();
            return null!;
        }

        if (operations.Count > MaxOperations)
        {
            v.Add("operations", $"at most {MaxOperations} operations");
            v.ThrowIfInvalid();
        }

        var result = new List<RoutingOperation>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? previous = null;
        for (var i = 0; i < operations.Count; i++)
        {
            var field = $"operations[{i}]";
            if (operations[i] is not { } op)
            {
                v.Add(field, "is missing");
                continue;
            }

            var id = string.IsNullOrWhiteSpace(op.Id) ? ((i + 1) * 10).ToString(CultureInfo.InvariantCulture) : op.Id.Trim();
            if (id.Length > 40 || id.Any(char.IsControl))
            {
                v.Add($"{field}.id", "must be at most 40 characters without control characters");
            }
            else if (!ids.Add(id))
            {
                v.Add($"{field}.id", $"'{id}' is used by another operation");
            }

            var name = op.Name is null ? id : v.Name($"{field}.name", op.Name);
            var capability = v.Slug($"{field}.capability", op.Capability);
            var setup = Seconds(v, $"{field}.setupSeconds", op.SetupSeconds ?? 0, allowZero: true);
            var unit = Seconds(v, $"{field}.unitSeconds", op.UnitSeconds, allowZero: false);
            var program = op.Program?.Trim() ?? "";
            if (program.Length > 200 || program.Any(char.IsControl))
            {
                v.Add($"{field}.program", "must be at most 200 characters without control characters");
            }

            if (op.Machines is { Count: 0 })
            {
                v.Add($"{field}.machines", "an empty list allows no machine; leave it out to allow every capable machine");
            }

            var materials = new List<Material>();
            for (var k = 0; k < (op.Materials?.Count ?? 0); k++)
            {
                var m = op.Materials![k];
                var mfield = $"{field}.materials[{k}]";
                var item = v.Id($"{mfield}.itemId", m?.ItemId);
                if (m?.Quantity is not { } q || !double.IsFinite(q) || q <= 0 || q > 1e9)
                {
                    v.Add($"{mfield}.quantity", "is required and must be a positive quantity per unit");
                }
                else
                {
                    materials.Add(new Material(item, q));
                }
            }

            // Without an explicit "after", an operation follows the one listed before it.
            List<string> after = op.After?.Select(a => a?.Trim() ?? "").ToList() ?? (previous is null ? [] : [previous]);
            previous = id;
            result.Add(new RoutingOperation(id, name, capability, setup, unit, program, op.Machines?.Distinct().ToList(), after, materials));
        }

        v.ThrowIfInvalid();
        return new Routing(Order(result, v));
    }

    /// <summary>
    /// A topological order of the operations (Kahn's algorithm, ties kept in list order), so that a chain of
    /// jobs respects every "after"; a reference to an unknown operation or a cycle is refused, naming it.
    /// </summary>
    private static List<RoutingOperation> Order(List<RoutingOperation> operations, Validator v)
    {
        var index = operations.Select((op, i) => (op.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var waitingFor = new int[operations.Count];
        var followers = operations.Select(_ => new List<int>()).ToList();
        for (var i = 0; i < operations.Count; i++)
        {
            foreach (var before in operations[i].After.Distinct(StringComparer.Ordinal))
            {
                if (!index.TryGetValue(before, out var b))
                {
                    v.Add($"operations[{i}].after", $"'{before}' is not an operation of this routing");
                }
                else if (b == i)
                {
                    v.Add($"operations[{i}].after", $"operation '{before}' cannot wait for itself");
                }
                else
                {
                    waitingFor[i]++;
                    followers[b].Add(i);
                }
            }
        }

        v.ThrowIfInvalid();
        var ready = new SortedSet<int>(Enumerable.Range(0, operations.Count).Where(i => waitingFor[i] == 0));
        var order = new List<RoutingOperation>();
        while (ready.Count > 0)
        {
            var next = ready.Min;
            ready.Remove(next);
            order.Add(operations[next]);
            foreach (var f in followers[next])
            {
                if (--waitingFor[f] == 0)
                {
                    ready.Add(f);
                }
            }
        }

        if (order.Count < operations.Count)
        {
            throw ApiProblem.Invalid("operations", $"the operations' 'after' lists form a cycle: {Cycle(operations, index, waitingFor)}");
        }

        return order;
    }

    /// <summary>One cycle among the operations still waiting, as "a → b → a".</summary>
    private static string Cycle(List<RoutingOperation> operations, Dictionary<string, int> index, int[] waitingFor)
    {
        var start = Array.FindIndex(waitingFor, w => w > 0);
        var path = new List<int>();
        var seen = new Dictionary<int, int>();
        var at = start;
        while (!seen.ContainsKey(at))
        {
            seen[at] = path.Count;
            path.Add(at);

            // Walk backwards along "after" to a predecessor that is itself stuck: one always exists.
            at = operations[at].After.Select(a => index[a]).First(p => waitingFor[p] > 0);
        }

        var cycle = path.Skip(seen[at]).Reverse().Select(i => operations[i].Id).ToList();
        cycle.Add(cycle[0]);
        return string.Join(" → ", cycle);
    }

    private static double Seconds(Validator v, string field, double? value, bool allowZero)
    {
        if (value is not { } s || !double.IsFinite(s) || s < 0 || (!allowZero && s == 0) || s > MaxSeconds)
        {
            v.Add(field, $"is required and must be {(allowZero ? "zero or more" : "more than zero")} seconds, at most {MaxSeconds:0} (a week)");
            return 0;
        }

        return s;
    }
}
