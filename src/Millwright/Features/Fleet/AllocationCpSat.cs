using Google.OrTools.Sat;

namespace Millwright.Features.Fleet;

/// <summary>
/// A component in which a machine or an operator may take several requests (their ranges do not overlap), as a
/// 0/1 model solved to proven optimality by CP-SAT. x[r, m] for every pruned candidate; each request at most once;
/// for each machine, the requests covering any one request's start take it at most once (that is every clique of
/// overlapping ranges). With operators, y[r, o] for every operator who may drive r: Σo y[r, o] = Σm x[r, m], and
/// the same cliques per operator. An unserved request costs more than all prices together, so serving more always wins.
/// </summary>
internal static class AllocationCpSat
{
    public static List<Assignment> Solve(IReadOnlyList<SiteRequest> requests, Dictionary<int, List<Assignment>> pruned, int[][]? crews,
        IReadOnlyList<FleetOperator>? operators, TimeSpan limit, long changePenalty)
    {
        var model = new CpModel();
        var vars = new List<(BoolVar Var, Assignment Assignment, int Request)>();
        var drivers = new List<(BoolVar Var, int Operator, int Request)>();
        foreach (var (r, options) in pruned)
        {
            var mine = options.Select(o => (Var: model.NewBoolVar($"x{r}_{o.MachineId}"), o)).ToList();
            model.AddAtMostOne(mine.Select(m => (ILiteral)m.Var));
            vars.AddRange(mine.Select(m => (m.Var, m.o, r)));
            if (crews is not null)
            {
                var crew = crews[r].Select(o => (Var: model.NewBoolVar($"y{r}_{o}"), o)).ToList();
                model.Add(LinearExpr.Sum(crew.Select(c => c.Var)) == LinearExpr.Sum(mine.Select(m => m.Var)));
                drivers.AddRange(crew.Select(c => (c.Var, c.o, r)));
            }
        }

        AtMostOneAtATime(model, requests, vars.GroupBy(v => v.Assignment.MachineId).Select(g => g.Select(v => (v.Var, v.Request)).ToList()));
        AtMostOneAtATime(model, requests, drivers.GroupBy(d => d.Operator).Select(g => g.Select(d => (d.Var, d.Request)).ToList()));

        long Objective(Assignment a) => AllocationPricing.Cents(a) + (a.Moved ? changePenalty : 0);
        var penalty = vars.Sum(v => Objective(v.Assignment)) + 1;
        model.Minimize(LinearExpr.WeightedSum(vars.Select(v => v.Var), vars.Select(v => Objective(v.Assignment) - penalty)));
        var solver = new CpSolver { StringParameters = $"max_time_in_seconds:{limit.TotalSeconds} num_workers:2" };
        var status = solver.Solve(model);
        if (status != CpSolverStatus.Optimal)
        {
            throw new InvalidOperationException($"CP-SAT did not prove an optimum within {limit.TotalSeconds} s (status {status})");
        }

        var driving = drivers.Where(d => solver.BooleanValue(d.Var)).ToDictionary(d => d.Request, d => operators![d.Operator].Id);
        return vars.Where(v => solver.BooleanValue(v.Var))
            .Select(v => driving.TryGetValue(v.Request, out var op) ? v.Assignment with { OperatorId = op } : v.Assignment).ToList();
    }

    /// <summary>Per resource, the requests covering any one request's start take it at most once.</summary>
    private static void AtMostOneAtATime(CpModel model, IReadOnlyList<SiteRequest> requests, IEnumerable<List<(BoolVar Var, int Request)>> perResource)
    {
        foreach (var list in perResource)
        {
            foreach (var (_, r) in list)
            {
                var start = requests[r].From;
                var covering = list.Where(v => requests[v.Request].From <= start && start < requests[v.Request].To).Select(v => (ILiteral)v.Var).ToList();
                if (covering.Count > 1)
                {
                    model.AddAtMostOne(covering);
                }
            }
        }
    }
}
