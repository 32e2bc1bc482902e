namespace Millwright.Features.Fleet;

/// <summary>
/// The baseline a dispatcher would use: requests in order of start, each takes the nearest capable machine that
/// is free over its range. Fast, and neither optimal nor sure to serve as many requests as possible.
/// </summary>
internal static class GreedyAllocation
{
    public static AllocationPlan Solve(IReadOnlyList<SiteRequest> requests, IReadOnlyList<FleetMachine> machines, AllocationCosts? costs = null)
    {
        costs ??= AllocationCosts.Default;
        var taken = new Dictionary<long, List<SiteRequest>>();
        var assignments = new List<Assignment>();
        var unserved = new List<Unserved>();
        var byCategory = machines.GroupBy(m => m.Category, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        foreach (var request in requests.OrderBy(r => r.From).ThenBy(r => r.Id))
        {
            var best = (byCategory.TryGetValue(request.Category, out var same) ? same : [])
                .Where(m => AllocationPricing.CanServe(m, request) && !(taken.TryGetValue(m.Id, out var held) && held.Any(request.Overlaps)))
                .Select(m => AllocationPricing.Price(m, request, costs))
                .OrderBy(a => a.RoadKm).ThenBy(a => a.MachineId)
                .FirstOrDefault();
            if (best is null)
            {
                unserved.Add(new Unserved(request.Id, "no capable machine free"));
                continue;
            }

            assignments.Add(best);
            (taken.TryGetValue(best.MachineId, out var list) ? list : taken[best.MachineId] = []).Add(request);
        }

        return new AllocationPlan(assignments.OrderBy(a => a.RequestId).ToList(), unserved, "greedy-nearest");
    }
}
