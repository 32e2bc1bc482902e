namespace Millwright.Features.Fleet;

/// <summary>
/// Keeps each request's operator from the plan in force where the new plan allows it. Operators cost nothing, so the
/// solver's choice among equally good ones is arbitrary; left so, a re-plan would hand requests whose machine did not
/// change to other operators and send them all again. Relabelling operators among the solved assignments never changes
/// the machines, the cost or feasibility: an operator is only given a request they can drive and are free for.
/// </summary>
internal static class OperatorContinuity
{
    /// <param name="previous">The plan in force: request id → its operator.</param>
    public static IReadOnlyList<Assignment> Keep(
        IReadOnlyList<Assignment> assignments, IReadOnlyList<SiteRequest> requests, IReadOnlyList<FleetOperator> operators, IReadOnlyDictionary<long, long> previous)
    {
        var request = requests.ToDictionary(r => r.Id);
        var byId = operators.ToDictionary(o => o.Id);
        var plan = assignments.ToArray();
        for (var i = 0; i < plan.Length; i++)
        {
            var a = plan[i];
            if (!previous.TryGetValue(a.RequestId, out var wanted) || a.OperatorId == wanted || !byId.TryGetValue(wanted, out var keeper) || !keeper.CanDrive(request[a.RequestId]))
            {
                continue;
            }

            // Who holds the wanted operator over this request's range now: nobody (take them), or one assignment to swap with.
            var holders = Enumerable.Range(0, plan.Length)
                .Where(j => j != i && plan[j].OperatorId == wanted && request[plan[j].RequestId].Overlaps(request[a.RequestId])).ToList();
            if (holders.Count == 0)
            {
                plan[i] = a with { OperatorId = wanted };
                continue;
            }

            if (holders.Count > 1 || a.OperatorId is not { } mine || !byId.TryGetValue(mine, out var other))
            {
                continue;
            }

            var h = holders[0];
            var held = request[plan[h].RequestId];
            var holderWantsItToo = previous.TryGetValue(plan[h].RequestId, out var theirs) && theirs == wanted;
            var otherFree = !Enumerable.Range(0, plan.Length).Any(j => j != i && j != h && plan[j].OperatorId == mine && request[plan[j].RequestId].Overlaps(held));
            if (!holderWantsItToo && other.CanDrive(held) && otherFree)
            {
                plan[h] = plan[h] with { OperatorId = mine };
                plan[i] = a with { OperatorId = wanted };
            }
        }

        return plan;
    }
}
