namespace Millwright.Features.Fleet;

/// <summary>
/// Every request's candidate machines (capable and not away) with their prices in cents, found by scanning the
/// request's category as flat arrays: the pairs number requests × machines (10 million in the benchmark), so the
/// scan allocates nothing per pair. Prices are the same integers <see cref="AllocationPricing.Cents"/> gives for
/// <see cref="AllocationPricing.Price"/>, computed by the same arithmetic in the same order.
/// </summary>
internal sealed class AllocationCandidates
{
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private AllocationCandidates(Candidate[][] lists, int[] capable)
    {
        Lists = lists;
        Capable = capable;
    }

    /// <summary>Per request, its candidates in no particular order.</summary>
    public Candidate[][] Lists { get; }

    /// <summary>Per request, how many machines have its category and capabilities (available or not).</summary>
    public int[] Capable { get; }

    public static AllocationCandidates Find(IReadOnlyList<SiteRequest> requests, IReadOnlyList<FleetMachine> machines, AllocationCosts costs,
        IReadOnlyDictionary<long, long>? previous = null)
    {
        var lists = new Candidate[requests.Count][];
        var capableCounts = new int[requests.Count];
        var categories = new Dictionary<string, CategoryArrays>(StringComparer.OrdinalIgnoreCase);
        var buffer = new List<Candidate>();
        for (var r = 0; r < requests.Count; r++)
        {
            var request = requests[r];
            if (!categories.TryGetValue(request.Category, out var category))
            {
                category = categories[request.Category] = new CategoryArrays(request.Category, machines);
            }

            var needs = request.MinCapabilities.Select(c => (Values: category.Capability(c.Key), Min: c.Value)).ToArray();
            var days = (request.To - request.From + Day - 1) / Day;
            // A request that had a machine pays the change penalty on every other one.
            var kept = previous is not null && previous.TryGetValue(request.Id, out var had) ? had : (long?)null;
            var penalty = kept is null ? 0 : costs.ChangePenaltyCents;
            buffer.Clear();
            var capable = 0;
            for (var i = 0; i < category.Count; i++)
            {
                if (!Meets(needs, i))
                {
                    continue;
                }

                capable++;
                var machine = machines[category.Machines[i]];
                if (machine.Unavailable.Count > 0 && IsAway(machine.Unavailable, request))
                {
                    continue;
                }

                buffer.Add(new Candidate(Cents(machine, request, days, costs) + (machine.Id == kept ? 0 : penalty), category.Machines[i], machine.Id));
            }

            lists[r] = [.. buffer];
            capableCounts[r] = capable;
        }

        return new AllocationCandidates(lists, capableCounts);
    }

    private static bool Meets((double[] Values, double Min)[] needs, int i)
    {
        foreach (var (values, min) in needs)
        {
            // A machine without the capability holds NaN, which is never >= min.
            if (!(values[i] >= min))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAway(IReadOnlyList<TimeWindow> windows, SiteRequest request)
    {
        for (var w = 0; w < windows.Count; w++)
        {
            if (windows[w].Overlaps(request.From, request.To))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Exactly <c>Cents(Price(machine, request, costs))</c>, without building the record.</summary>
    private static long Cents(FleetMachine machine, SiteRequest request, long days, AllocationCosts costs)
    {
        var road = AllocationPricing.GreatCircleKm(machine.Latitude, machine.Longitude, request.Latitude, request.Longitude) * costs.RoadFactor;
        var transport = Math.Round(road * costs.TransportPerKm, 2);
        var rental = Math.Round(days * machine.DailyRate, 2);
        return (long)Math.Round((transport + rental) * 100);
    }

    /// <summary>One category's machines (indices into the caller's list) and their capabilities as columns.</summary>
    private sealed class CategoryArrays(string category, IReadOnlyList<FleetMachine> all)
    {
        private readonly Dictionary<string, double[]> _columns = new(StringComparer.Ordinal);

        public int[] Machines { get; } = Enumerable.Range(0, all.Count).Where(i => string.Equals(all[i].Category, category, StringComparison.OrdinalIgnoreCase)).ToArray();

        public int Count => Machines.Length;

        public double[] Capability(string name)
        {
            if (!_columns.TryGetValue(name, out var column))
            {
                column = _columns[name] = Machines.Select(m => all[m].Capabilities.TryGetValue(name, out var v) ? v : double.NaN).ToArray();
            }

            return column;
        }
    }
}
