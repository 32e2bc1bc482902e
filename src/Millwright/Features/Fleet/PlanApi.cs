using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>
/// POST /api/v1/fleet/plans: the exact allocation of the given fleet machines to the given requests, with the
/// nearest-first cost beside it. Nothing is stored; each machine must be the caller's fleet equipment and have
/// reported a location (latitude, longitude), which is where it is priced from.
/// </summary>
internal static class PlanApi
{
    public const int MaxRequests = 5_000;
    public const int MaxMachines = 50_000;

    public static void MapPlans(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/fleet/plans", async (PlanInput input, Caller caller, Sessions sessions, LatestValues latest, CancellationToken ct) =>
            {
                var v = new Validator();
                var requests = Requests(v, input.Requests ?? []);
                if (input.Requests is not { Count: > 0 and <= MaxRequests })
                {
                    v.Add("requests", $"1 to {MaxRequests} requests");
                }

                if (input.Machines is not { Count: > 0 and <= MaxMachines })
                {
                    v.Add("machines", $"1 to {MaxMachines} machines");
                }

                if (input.RoadFactor is < 1 or > 5 || input.TransportPerKm is < 0 or > 1000)
                {
                    v.Add("roadFactor", "roadFactor 1..5, transportPerKm 0..1000");
                }

                if (input.ChangePenalty is < 0 or > 1e9)
                {
                    v.Add("changePenalty", "0 to 1,000,000,000");
                }

                var previous = new Dictionary<long, long>();
                foreach (var p in input.Previous ?? [])
                {
                    if (p.RequestId is not { } r || p.MachineId is not { } m || !previous.TryAdd(r, m))
                    {
                        v.Add("previous", "each needs a requestId (once) and a machineId");
                        break;
                    }
                }

                v.ThrowIfInvalid();
                var known = await sessions.RunAsync(caller, async s =>
                    (await FleetEquipment.PageAsync(s, 1, int.MaxValue)).Items.Select(e => e.MachineId).ToHashSet(), ct);
                var machines = new List<FleetMachine>();
                for (var i = 0; i < input.Machines!.Count; i++)
                {
                    var m = input.Machines[i];
                    var field = $"machines[{i}]";
                    var tags = m.MachineId is { } id && known.Contains(id) ? latest.Of(caller.Tenant, id).ToDictionary(r => r.Tag, r => r.Value.Number) : null;
                    if (tags is null)
                    {
                        v.Add(field, $"machine {m.MachineId} is not fleet equipment of this tenant");
                    }
                    else if (!tags.TryGetValue("latitude", out var lat) || !tags.TryGetValue("longitude", out var lon) || !Coordinates.IsPosition(lat, lon))
                    {
                        v.Add(field, $"machine {m.MachineId} has reported no valid location (latitude, longitude)");
                    }
                    else if (string.IsNullOrWhiteSpace(m.Category) || m.DailyRate is not (>= 0 and < 1e7))
                    {
                        v.Add(field, "category and a dailyRate of 0 or more are required");
                    }
                    else
                    {
                        var away = (m.Unavailable ?? []).Select(w => new TimeWindow(w.From?.ToUnixTimeMilliseconds() ?? 0, w.To?.ToUnixTimeMilliseconds() ?? 0)).ToList();
                        if (away.Any(w => w.From >= w.To))
                        {
                            v.Add(field, "every unavailable window needs from before to");
                        }

                        machines.Add(new FleetMachine(m.MachineId!.Value, m.Category.Trim(), m.Capabilities ?? [], lat, lon, m.DailyRate!.Value, away));
                    }
                }

                v.ThrowIfInvalid();
                var costs = new AllocationCosts(input.RoadFactor ?? 1.3, input.TransportPerKm ?? 3.0, input.ChangePenalty ?? 0);
                var plan = AllocationSolver.Solve(requests, machines, costs, previous: previous.Count == 0 ? null : previous);
                var greedy = GreedyAllocation.Solve(requests, machines, costs);
                return TypedResults.Ok(new PlanDto(plan.Method, Math.Round(plan.TotalCost, 2), Math.Round(greedy.TotalCost, 2), plan.Assignments, plan.Unserved, plan.Changes));
            })
            .WithTags("Fleet")
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Exact allocation of fleet machines to job-site requests (most served, then least cost), with per-assignment and total cost.");

    private static List<SiteRequest> Requests(Validator v, IReadOnlyList<PlanRequestInput> inputs)
    {
        var requests = new List<SiteRequest>();
        for (var i = 0; i < inputs.Count && i < MaxRequests; i++)
        {
            var r = inputs[i];
            var field = $"requests[{i}]";
            if (!Coordinates.IsPosition(r.Latitude, r.Longitude))
            {
                v.Add(field, "latitude must be -90..90 and longitude -180..180");
            }
            else if (string.IsNullOrWhiteSpace(r.Category) || r.From is null || r.To is null || r.From >= r.To)
            {
                v.Add(field, "category, and from before to, are required");
            }
            else
            {
                requests.Add(new SiteRequest(r.Id ?? i + 1, r.Category.Trim(), r.MinCapabilities ?? [], r.Latitude.Value, r.Longitude.Value,
                    r.From.Value.ToUnixTimeMilliseconds(), r.To.Value.ToUnixTimeMilliseconds()));
            }
        }

        if (requests.Select(r => r.Id).Distinct().Count() != requests.Count)
        {
            v.Add("requests", "request ids must be distinct");
        }

        return requests;
    }
}
